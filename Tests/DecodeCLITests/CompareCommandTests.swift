import Foundation
import GGUF
import Testing

/// `decode compare`: bad arguments are refused before any model loads; on the default model a
/// tiny run (2 tasks, 4 tokens, `greedy,beam:2`) prints one row or record per strategy, reports a
/// malformed task line by number and still runs the others, and writes an SVG plot.
@Suite("decode compare")
struct CompareCommandTests {
    /// Two good tasks around one malformed line (line 2).
    static let taskLines = """
        {"id": "add", "prompt": "2+2=", "reference": "4", "match": "contains"}
        {"prompt": "this line is not closed"
        {"id": "capital", "prompt": "The capital of France is", "reference": "Paris", "match": "contains"}

        """

    static let strategies = ["greedy", "beam:2"]

    /// Writes the task file, runs `decode compare` on it with `arguments` added, removes the file.
    static func compare(_ arguments: [String], model: String = "/nonexistent/model.gguf") throws -> CommandRunner.Outcome {
        let tasks = try CommandRunner.temporaryFile(named: "tasks.jsonl", contents: Data(taskLines.utf8))
        defer { try? FileManager.default.removeItem(at: tasks) }
        return try CommandRunner.run(["compare", "--model", model, "--tasks", tasks.path, "--threads", "2"] + arguments)
    }

    static let badArguments: [(arguments: [String], mentions: String)] = [
        (["--strategies", "greedy,bogus"], "valid strategies: greedy, sample, cautious, best-of-n:N, vote:N, beam:W"),
        (["--strategies", "best-of-n:0"], "positive number"),
        (["--strategies", "beam:0"], "positive number"),
        (["--strategies", "beam:-3"], "positive number"),
        (["--strategies", "beam:x"], "positive number"),
        (["--format", "yaml"], "--format"),
        (["--seeds", "0"], "--seeds"),
        (["--max-tokens", "0"], "--max-tokens"),
        (["--verifier", "oracle"], "valid verifiers"),
        (["--plot", "/nonexistent-directory-\(UUID().uuidString)/plot.svg"], "cannot write the plot"),
    ]

    @Test("bad arguments: one error line, non-zero exit, nothing on stdout", arguments: badArguments)
    func badArgument(arguments: [String], mentions: String) throws {
        // The model path does not exist: reaching it would fail with a different message.
        let outcome = try Self.compare(arguments)
        #expect(outcome.status != 0)
        let lines = outcome.standardError.split(separator: "\n").filter { !$0.contains("task file line 2") }
        #expect(lines.count == 1, "\(outcome.standardError)")
        #expect(lines.first?.hasPrefix("error: ") == true, "\(outcome.standardError)")
        #expect(outcome.standardError.contains(mentions), "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("model"), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test("a task file without a valid task is refused before the model loads")
    func noValidTask() throws {
        let tasks = try CommandRunner.temporaryFile(named: "bad.jsonl", contents: Data("[1, 2]\n".utf8))
        defer { try? FileManager.default.removeItem(at: tasks) }
        let outcome = try CommandRunner.run(["compare", "--model", "/nonexistent/model.gguf", "--tasks", tasks.path])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("line 1"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("no valid task"), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test("markdown: the malformed line is named, the other tasks run, one row per strategy",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func markdownTable() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let outcome = try Self.compare(["--strategies", Self.strategies.joined(separator: ","), "--max-tokens", "4"],
                                       model: model.path)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let errors = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 1, "\(outcome.standardError)")
        #expect(errors.first?.contains("line 2") == true, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("- tasks: 2 "), "\(outcome.standardOutput)")
        let rows = outcome.standardOutput.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| strategy") && !$0.hasPrefix("| ---") }
        #expect(rows.map { $0.split(separator: "|").first.map { $0.trimmingCharacters(in: .whitespaces) } } == Self.strategies,
                "\(outcome.standardOutput)")
    }

    @Test("json: one row per strategy; --plot writes an SVG naming each strategy",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func jsonAndPlot() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let plot = FileManager.default.temporaryDirectory.appendingPathComponent("decode-cli-\(UUID().uuidString)-plot.svg")
        defer { try? FileManager.default.removeItem(at: plot) }
        let outcome = try Self.compare(["--strategies", Self.strategies.joined(separator: ","), "--max-tokens", "4",
                                        "--format", "json", "--plot", plot.path], model: model.path)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("line 2"), "\(outcome.standardError)")
        let document = try #require(
            JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any], "\(outcome.standardOutput)")
        let rows = try #require(document["rows"] as? [[String: Any]])
        #expect(rows.compactMap { $0["strategy"] as? String } == Self.strategies)
        let configuration = try #require(document["configuration"] as? [String: String])
        #expect(configuration["max tokens"] == "4")

        let svg = String(decoding: try Data(contentsOf: plot), as: UTF8.self)
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"), "\(svg.prefix(200))")
        #expect(svg.contains("</svg>"))
        for strategy in Self.strategies { #expect(svg.contains(strategy), "\(strategy) missing from the plot") }
    }

    @Test("jsonl: one record per task × strategy × seed", .enabled(if: DefaultModel.modelTestsEnabled))
    func jsonLines() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let outcome = try Self.compare(["--strategies", Self.strategies.joined(separator: ","), "--max-tokens", "4",
                                        "--seeds", "2", "--format", "jsonl"], model: model.path)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let records = try outcome.standardOutput.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        #expect(records.count == 2 * Self.strategies.count * 2, "\(outcome.standardOutput)")
        var seen: Set<String> = []
        for record in records {
            let strategy = try #require(record["strategy"] as? String)
            let task = try #require(record["task"] as? String)
            let seed = try #require(record["seed"] as? Int)
            seen.insert("\(strategy)/\(task)/\(seed)")
            #expect(record["failure"] == nil || record["failure"] is NSNull, "\(record)")
            let tokens = try #require(record["tokens"] as? [Int])
            #expect(tokens.count <= 4, "\(record)")
        }
        var expected: Set<String> = []
        for strategy in Self.strategies { for task in ["add", "capital"] { for seed in 0..<2 { expected.insert("\(strategy)/\(task)/\(seed)") } } }
        #expect(seen == expected)
    }
}
