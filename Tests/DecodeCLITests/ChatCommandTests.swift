import Foundation
import GGUF
import Testing

/// `decode generate --chat`, `--system` and `--chat-template`.
@Suite("decode generate: chat templates")
struct ChatCommandTests {
    static func expectUsageError(_ outcome: CommandRunner.Outcome, mentions: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.status == 64, "\(outcome.standardError)", sourceLocation: sourceLocation)
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(outcome.standardError)", sourceLocation: sourceLocation)
        #expect(outcome.standardError.contains(mentions), "\(outcome.standardError)", sourceLocation: sourceLocation)
        #expect(outcome.standardOutput.isEmpty, sourceLocation: sourceLocation)
    }

    @Test("a --chat-template that is neither a built-in nor a file is a usage error")
    func missingTemplateFile() throws {
        let outcome = try CommandRunner.run(["generate", "--model", "/nonexistent/model.gguf",
                                             "--chat-template", "/nonexistent/template.jinja", "hi"])
        Self.expectUsageError(outcome, mentions: "--chat-template '/nonexistent/template.jinja' is neither a built-in")
    }

    @Test("a template file that is not valid Jinja is a usage error naming the problem", arguments: [
        ("{% for m in messages %}{{ m.content }}", "syntax error"),
        ("{% call f() %}{% endcall %}", "{% call %}"),
    ])
    func badTemplateFile(source: String, mentions: String) throws {
        let url = try CommandRunner.temporaryFile(named: "bad.jinja", contents: Data(source.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let outcome = try CommandRunner.run(["generate", "--model", "/nonexistent/model.gguf", "--chat-template", url.path, "hi"])
        Self.expectUsageError(outcome, mentions: mentions)
    }

    @Test("--system with ChatML gives the ids of SmolLM2's own template and its default system prompt",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func systemMessageWithBuiltIn() throws {
        let common = ["generate", "--json", "--temp", "0", "--max-tokens", "1"]
        let own = try CommandRunner.run(common + ["--chat", "Hi"])
        let builtIn = try CommandRunner.run(common + [
            "--chat-template", "chatml", "--system", "You are a helpful AI assistant named SmolLM, trained by Hugging Face", "Hi",
        ])
        #expect(own.status == 0 && builtIn.status == 0, "\(own.standardError)\(builtIn.standardError)")
        func promptTokens(_ outcome: CommandRunner.Outcome) throws -> [Int] {
            let object = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
            return try #require(object?["prompt_tokens"] as? [Int])
        }
        #expect(try promptTokens(own) == promptTokens(builtIn))
    }

    @Test("a template that refuses the conversation is a usage error with its message",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func templateRefusesSystemTurn() throws {
        let source = "{% if messages[0].role == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}"
        let url = try CommandRunner.temporaryFile(named: "refusing.jinja", contents: Data(source.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let outcome = try CommandRunner.run(["generate", "--chat-template", url.path, "--system", "Be brief.", "hi"])
        Self.expectUsageError(outcome, mentions: "System role not supported")
    }
}
