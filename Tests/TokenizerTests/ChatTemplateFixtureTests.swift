import Foundation
import Testing
import Tokenizer

/// llama.cpp's real chat templates (`.cache/llama-cpp/templates`, from
/// `Scripts/fetch-llama-cpp-data.sh`) render every conversation of
/// `Fixtures/chat-templates.json` to exactly the text Python Jinja2 renders with Hugging Face's
/// settings (`Scripts/chat-template-fixtures.py`), and fail where Jinja2 fails: with
/// ``TokenizerError/templateException(message:)`` and the same message where the template calls
/// `raise_exception`, with another typed error where Python raised another error.
@Suite struct ChatTemplateFixtureTests {
    struct Document: Decodable {
        let bos_token: String
        let eos_token: String
        let now: String
        let conversations: [String: [Message]]
        let templates: [Template]
        let constructs: [Construct]
    }

    /// A small template for one construct, rendered with the longest conversation.
    struct Construct: Decodable, CustomTestStringConvertible, Sendable {
        let source: String
        let text: String?
        let exception: String?
        let error: String?
        var testDescription: String { source.debugDescription }
    }

    struct Message: Decodable {
        let role: String
        let content: String
    }

    struct Template: Decodable, CustomTestStringConvertible, Sendable {
        let template: String
        let cases: [Case]
        var testDescription: String { template }
    }

    struct Case: Decodable, Sendable {
        let conversation: String
        let add_generation_prompt: Bool
        let text: String?
        let exception: String?
        let error: String?
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let document: Document = {
        let url = root.appendingPathComponent("Tests/TokenizerTests/Fixtures/chat-templates.json")
        do {
            return try JSONDecoder().decode(Document.self, from: try Data(contentsOf: url))
        } catch {
            preconditionFailure("cannot read \(url.path): \(error)")
        }
    }()

    static func source(_ name: String) throws -> String {
        let url = root.appendingPathComponent(".cache/llama-cpp/templates/\(name).jinja")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw LlamaCppVocabulary.DataError.missing(url.path)
        }
        return String(decoding: data, as: UTF8.self)
    }

    static var now: Date {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        return formatter.date(from: document.now) ?? Date(timeIntervalSince1970: 0)
    }

    /// Constructs Jinja2 renders that the interpreter reports as unsupported (never renders differently).
    static let unsupportedConstructs = [
        "{{ 'x' | wordwrap }}": "filter 'wordwrap'",
        "{{ '%s!' % 'x' }}": "printf-style string formatting ('…' % value)",
    ]

    @Test(arguments: document.constructs)
    func constructRendersAsJinja2(_ construct: Construct) throws {
        let messages = try #require(Self.document.conversations["system-user-assistant-user"]).map { message in
            ChatMessage(role: try #require(ChatRole(rawValue: message.role)), content: message.content)
        }
        let outcome: Result<String, TokenizerError>
        do {
            outcome = Self.render(try ChatTemplate(source: construct.source), messages, addGenerationPrompt: true)
        } catch {
            outcome = .failure(error)
        }
        switch (outcome, construct.text, construct.exception) {
        case (.failure(.unsupportedTemplateConstruct(let name, _)), _?, _):
            #expect(Self.unsupportedConstructs[construct.source] == name)
        case (.success(let text), let want?, _):
            #expect(text == want)
        case (.failure(.templateException(let message)), _, let want?):
            #expect(message == want)
        case (.failure, nil, nil):
            break
        default:
            Issue.record("got \(outcome), Jinja2: \(construct.text.map { "text \($0.debugDescription)" } ?? construct.exception ?? construct.error ?? "")")
        }
    }

    static func render(_ template: ChatTemplate, _ messages: [ChatMessage],
                       addGenerationPrompt: Bool) -> Result<String, TokenizerError> {
        do {
            return .success(try template.render(messages, addGenerationPrompt: addGenerationPrompt,
                                                bosToken: document.bos_token, eosToken: document.eos_token, now: now))
        } catch {
            return .failure(error)
        }
    }

    @Test(arguments: document.templates)
    func rendersAsJinja2(_ fixture: Template) throws {
        let source = try Self.source(fixture.template)
        let template = try ChatTemplate(source: source)
        for expected in fixture.cases {
            let messages = try #require(Self.document.conversations[expected.conversation]).map { message in
                ChatMessage(role: try #require(ChatRole(rawValue: message.role)), content: message.content)
            }
            let label = "\(expected.conversation), add_generation_prompt=\(expected.add_generation_prompt)"
            let outcome = Self.render(template, messages, addGenerationPrompt: expected.add_generation_prompt)
            switch (outcome, expected.text, expected.exception) {
            case (.success(let text), let want?, _):
                #expect(text == want, "\(label)")
            case (.failure(.templateException(let message)), _, let want?):
                #expect(message == want, "\(label)")
            case (.failure(let error), nil, nil):
                #expect(!(error.description.isEmpty), "\(label): Jinja2 raised \(expected.error ?? "")")
            default:
                Issue.record("\(label): got \(outcome), Jinja2: \(expected.text.map { "text \($0.debugDescription)" } ?? expected.exception ?? expected.error ?? "")")
            }
        }
    }
}
