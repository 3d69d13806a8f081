import Foundation
import Testing

/// Every architecture the runtime runs, through the tool a user runs: `generate` with a chat
/// template (built in: the files have none), under a regular expression (checked with
/// Foundation's regex, not the constraint that generated it), and with n-gram speculation
/// (greedy, so it must print exactly plain greedy's text), and `compare` with a constrained
/// strategy and beam search, on the tiny random-weight models `Scripts/make-tiny-models.py`
/// writes (Scripts/setup.sh runs it).
@Suite("tiny models of every architecture")
struct TinyArchitectureCommandTests {
    static let names = ["llama", "llama3", "qwen2", "qwen3", "gemma3", "phi3"]

    static func model(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".cache/tiny-models/\(name).gguf")
        try #require(FileManager.default.fileExists(atPath: url.path),
                     "tiny model \(url.path) is missing: run `python3 Scripts/make-tiny-models.py` (Scripts/setup.sh does)")
        return url.path
    }

    static func generate(_ name: String, _ arguments: [String]) throws -> CommandRunner.Outcome {
        try CommandRunner.run(["generate", "--model", try model(name), "--threads", "2"] + arguments)
    }

    @Test(arguments: names)
    func chatRegexAndSpeculation(name: String) throws {
        let chat = try Self.generate(name, ["--chat", "--max-tokens", "4", "--seed", "1", "hi"])
        #expect(chat.status == 0, "\(chat.standardError)")

        let constrained = try Self.generate(name, ["--regex", "[a-z]{3,8}", "--max-tokens", "12", "--seed", "1", "hello"])
        #expect(constrained.status == 0, "\(constrained.standardError)")
        let text = constrained.standardOutput.trimmingCharacters(in: .newlines)
        let whole = try NSRegularExpression(pattern: "^[a-z]{3,8}$")
        #expect(whole.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil, "\(text)")

        let plain = try Self.generate(name, ["--temp", "0", "--max-tokens", "10", "hello world hello"])
        let speculative = try Self.generate(
            name, ["--temp", "0", "--max-tokens", "10", "--speculative", "ngram", "hello world hello"])
        #expect(plain.status == 0 && speculative.status == 0, "\(plain.standardError)\(speculative.standardError)")
        #expect(speculative.standardOutput == plain.standardOutput)
    }

    @Test(arguments: names)
    func compareRunsConstrainedAndSearchStrategies(name: String) throws {
        let lines = #"{"id": "word", "prompt": "hello", "regex": "[a-z]{3,8}"}"# + "\n"
        let outcome = try CompareCommandTests.compare(
            ["--strategies", "greedy,awrs,beam:2", "--max-tokens", "6", "--format", "jsonl", "--quiet"],
            model: try Self.model(name), lines: lines)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let records = try outcome.standardOutput.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        #expect(Set(records.compactMap { $0["strategy"] as? String }) == ["greedy", "awrs", "beam:2"])
        let awrs = try #require(records.first { $0["strategy"] as? String == "awrs" })
        #expect(awrs["failure"] == nil || awrs["failure"] is NSNull, "\(awrs)")
    }
}
