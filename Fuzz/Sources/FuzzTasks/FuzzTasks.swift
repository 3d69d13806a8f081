import FuzzSupport
import Evaluation

/// libFuzzer entry point: the input is the text of a `decode compare` task file (JSON lines).
///
/// Oracle: `SearchTask.parse(jsonLines:)` returns tasks and per-line errors, never crashes; every
/// error names a line of the text (1-based), a line gives a task or an error (never both), every
/// task has exactly one of a prompt and messages, and its checker (the reference, schema or regex
/// verifier the reader already built once) builds again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let (tasks, errors) = SearchTask.parse(jsonLines: text)
    let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
    for error in errors {
        check((1...lineCount).contains(error.line), "error at line \(error.line) of \(lineCount)")
    }
    check(tasks.count + errors.count <= lineCount, "\(tasks.count) tasks and \(errors.count) errors from \(lineCount) lines")
    check(Set(errors.map(\.line)).count == errors.count, "two errors for one line")
    for task in tasks {
        check((task.prompt == nil) != task.messages.isEmpty, "task \(task.id): prompt and messages")
        do {
            _ = try task.checker()
        } catch {
            fail("task \(task.id): its checker was built once but now throws \(error)")
        }
    }
    return 0
}
