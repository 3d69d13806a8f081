import Foundation
import GGUF
import Testing

@Suite("decode tokenize")
struct TokenizeCommandTests {
    @Test("--json prints the ids and pieces of the reference tokenization",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func jsonOutput() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let outcome = try CommandRunner.run(["tokenize", "--json", "--model", model.path, "Hello world"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(object["ids"] as? [Int] == [19556, 905])
        #expect(object["pieces"] as? [String] == ["Hello", " world"])
    }

    @Test("special tokens are parsed as one id", .enabled(if: DefaultModel.modelTestsEnabled))
    func specialTokens() throws {
        let model = try #require(DefaultModel.locate())
        let outcome = try CommandRunner.run(["tokenize", "--json", "--model", model.path, "<|im_start|>user"])
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let ids = try #require(object["ids"] as? [Int])
        #expect(ids.first == 1 && ids.count == 2)
    }

    @Test("--stats prints the id count and encode timings instead of the ids")
    func stats() throws {
        let vocabulary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".cache/llama-cpp/vocab/ggml-vocab-gpt-2.gguf")
        try #require(
            FileManager.default.fileExists(atPath: vocabulary.path), "run Scripts/fetch-llama-cpp-data.sh")
        let outcome = try CommandRunner.run([
            "tokenize", "--model", vocabulary.path, "--stats", "--repetitions", "3", "--no-special", "Hello world",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Double])
        #expect(object["ids"] == 2)
        #expect(object["bytes"] == 11)
        #expect(object["encode_seconds"].map { $0 >= 0 } == true)
        #expect(object["encode_cpu_seconds"].map { $0 >= 0 } == true)
        #expect(object["load_seconds"].map { $0 > 0 } == true)
    }

    @Test("--repetitions below 1 is a usage error")
    func repetitionsAtLeastOne() throws {
        let outcome = try CommandRunner.run(["tokenize", "--stats", "--repetitions", "0", "hi"])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("--repetitions must be at least 1"), "\(outcome.standardError)")
    }

    @Test("bad model files give one error line and a non-zero exit",
          arguments: ["missing", "directory", "empty", "text", "json"])
    func badModel(kind: String) throws {
        let path: String
        var cleanup: URL?
        switch kind {
        case "missing": path = "/nonexistent/model.gguf"
        case "directory": path = FileManager.default.temporaryDirectory.path
        default:
            let contents = kind == "empty" ? Data() : kind == "text" ? Data("hello\n".utf8) : Data(#"{"a": 1}"#.utf8)
            let url = try CommandRunner.temporaryFile(named: "\(kind).gguf", contents: contents)
            cleanup = url
            path = url.path
        }
        defer { if let cleanup { try? FileManager.default.removeItem(at: cleanup) } }
        let outcome = try CommandRunner.run(["tokenize", "--model", path, "hi"])
        #expect(outcome.status != 0)
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.standardError)")
        #expect(lines.first?.hasPrefix("error: ") == true, "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }
}
