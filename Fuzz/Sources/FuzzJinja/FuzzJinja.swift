import FuzzSupport
import Foundation
import Tokenizer

/// libFuzzer entry point: a Jinja chat template, a NUL byte, then a conversation selector: byte 0
/// picks the conversation's roles (``shapes``), byte 1 bit 0 sets `add_generation_prompt`, and the
/// rest, split at 0x01 bytes, gives the messages' contents (defaults when absent).
///
/// Oracle: `ChatTemplate(source:)` and `render` throw a `TokenizerError` or give a string, never
/// crash; rendering is pure, so a second render gives the same text. Hangs are caught by
/// libFuzzer's `-timeout` (Scripts/fuzz.sh: 10 s) and memory blow-ups by `-rss_limit_mb`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let all = UnsafeBufferPointer(start: data, count: size)
    let split = all.firstIndex(of: 0) ?? size
    let template: ChatTemplate
    do {
        template = try ChatTemplate(source: String(decoding: all[..<split], as: UTF8.self))
    } catch {
        return 0
    }
    let selector = split < size ? Array(all[(split + 1)...]) : []
    let shape = shapes[Int(selector.first ?? 0) % shapes.count]
    let generationPrompt = selector.count > 1 ? selector[1] & 1 != 0 : true
    let given = selector.count > 2 ? selector[2...].split(separator: 1, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) } : []
    let contents = given.isEmpty ? defaultContents : given
    let messages = shape.enumerated().map { index, role in
        ChatMessage(role: role, content: contents[index % contents.count])
    }
    let first: String, second: String
    do {
        first = try render(template, messages, generationPrompt)
    } catch {
        return 0
    }
    do {
        second = try render(template, messages, generationPrompt)
    } catch {
        fail("the second render threw \(error) where the first gave text")
    }
    check(first == second, "two renders of the same conversation differ")
    return 0
}

/// A fixed date, so that `strftime_now` is pure too.
private let now = Date(timeIntervalSince1970: 1_733_443_200)

private func render(_ template: ChatTemplate, _ messages: [ChatMessage], _ generationPrompt: Bool)
    throws(TokenizerError) -> String {
    try template.render(messages, addGenerationPrompt: generationPrompt, bosToken: "<s>", eosToken: "</s>", now: now)
}

/// Conversations the templates are written for, and some they refuse.
private let shapes: [[ChatRole]] = [
    [.user],
    [.system, .user],
    [.user, .assistant, .user],
    [.system, .user, .assistant, .user, .assistant],
    [],
    [.assistant],
    [.user, .user],
    [.system, .system, .assistant],
]

private let defaultContents = ["You are helpful.", "Hi <think>x</think> ▁ {{ 1 }}", "Hello!\n"]
