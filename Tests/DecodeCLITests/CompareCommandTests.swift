import Foundation
import GGUF
import Testing

/// `decode compare`: bad arguments and malformed task files are refused before any model
/// loads; on the default model a tiny run (2 tasks, 4 tokens, `greedy,beam:2`) prints a progress
/// line per task and one row or record per strategy, says why a verifier failed, and writes an
/// SVG plot.
@Suite("decode compare")
struct CompareCommandTests {
    /// Two good tasks.
    static let taskLines = """
        {"id": "add", "prompt": "2+2=", "reference": "4", "match": "contains"}
        {"id": "capital", "prompt": "The capital of France is", "reference": "Paris", "match": "contains"}

        """

    static let strategies = ["greedy", "beam:2"]

    /// Writes `lines` to a task file, runs `decode compare` on it with `arguments` added, removes the file.
    static func compare(_ arguments: [String], model: String = "/nonexistent/model.gguf",
                        lines: String = taskLines) throws -> CommandRunner.Outcome {
        let tasks = try CommandRunner.temporaryFile(named: "tasks.jsonl", contents: Data(lines.utf8))
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
        // Negative numbers reach the option and get its own reason, not "Missing value".
        (["--seeds", "-1"], "--seeds must be at least 1, got -1"),
        (["--budget", "-2"], "--budget must be at least 1, got -2"),
        (["--threads", "-1"], "--threads must be at least 1, got -1"),
        (["--temperature", "-0.5"], "--temperature must be positive, got -0.5"),
        (["--verifier-timeout", "-2"], "--verifier-timeout must be a positive number of seconds, got -2.0"),
        (["--plot", "/nonexistent-directory-\(UUID().uuidString)/plot.svg"], "cannot write the plot"),
    ]

    @Test("bad arguments: one error line, non-zero exit, nothing on stdout", arguments: badArguments)
    func badArgument(arguments: [String], mentions: String) throws {
        // The model path does not exist: reaching it would fail with a different message.
        let outcome = try Self.compare(arguments)
        #expect(outcome.status != 0)
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.standardError)")
        #expect(lines.first?.hasPrefix("error: ") == true, "\(outcome.standardError)")
        #expect(outcome.standardError.contains(mentions), "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("model"), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }

    /// Malformed task files: the lines, and what each error line must say (the library's
    /// sentence, not a Swift enum case).
    static let malformedTaskFiles: [(lines: String, mentions: [String])] = [
        (taskLines + "{\"prompt\": \"this line is not closed\"\n", ["line 3: not a JSON object"]),
        ("[1, 2]\n", ["line 1: not a JSON object"]),
        (taskLines + "{\"prompt\": \"x\", \"schema\": {\"type\": \"color\"}}\n",
         ["line 3: invalid JSON schema: invalid 'type' at #/type: unknown type \"color\""]),
        (taskLines + "{\"prompt\": \"x\", \"regex\": \"(a\"}\n",
         ["line 3: invalid regular expression (a: invalid pattern '(a' at offset 2: "]),
        ("{\"prompt\": 1}\n\n{\"prompt\": \"x\", \"match\": \"fuzzy\"}\n",
         ["line 1: \"prompt\" must be a string", "line 3: \"match\" must be exact, contains or numeric"]),
    ]

    @Test("a malformed task file: an error line per bad line, non-zero exit, before the model loads",
          arguments: malformedTaskFiles)
    func malformedTaskFile(lines: String, mentions: [String]) throws {
        let outcome = try Self.compare([], lines: lines)
        #expect(outcome.status != 0)
        let errors = outcome.standardError.split(separator: "\n")
        #expect(errors.count == mentions.count, "\(outcome.standardError)")
        for (error, mention) in zip(errors, mentions) {
            #expect(error.hasPrefix("error: task file '"), "\(outcome.standardError)")
            #expect(error.contains(mention), "\(outcome.standardError)")
        }
        #expect(!outcome.standardError.contains("model"), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test("a task file with no task is refused before the model loads")
    func noTask() throws {
        let outcome = try Self.compare([], lines: "# only a comment\n\n")
        #expect(outcome.status != 0)
        #expect(outcome.standardError.hasPrefix("error: no task to run in '"), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test("markdown: a progress line per task on stderr, one row per strategy, seed values in the header",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func markdownTable() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let outcome = try Self.compare(["--strategies", Self.strategies.joined(separator: ","), "--max-tokens", "4"],
                                       model: model.path)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("error: "), "\(outcome.standardError)")
        let progress = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("[") }
        #expect(progress.count == 2, "\(outcome.standardError)")
        #expect(progress.first?.hasPrefix("[1/2] add: greedy ") == true, "\(outcome.standardError)")
        #expect(progress.last?.hasPrefix("[2/2] capital: greedy ") == true, "\(outcome.standardError)")
        #expect(progress.last?.contains(", beam:2 ") == true, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("- tasks: 2 "), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("- seed values: 0\n"), "\(outcome.standardOutput)")
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

    @Test("a failing verifier: its reason on stderr, the runs counted as failed",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func verifierFailureReason() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let outcome = try Self.compare(["--strategies", "greedy", "--max-tokens", "2", "--format", "csv",
                                        "--verifier", "command", "--verifier-command", "cat >/dev/null; echo no scores >&2; exit 3"],
                                       model: model.path)
        let warnings = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
        #expect(warnings.count == 2, "\(outcome.standardError)")
        #expect(warnings.first?.hasPrefix("warning: task add, greedy, seed 0: verifier command `") == true, "\(outcome.standardError)")
        #expect(warnings.allSatisfy { $0.hasSuffix("failed: exited with status 3: no scores") }, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("[1/2] add: greedy failed"), "\(outcome.standardError)")
        #expect(outcome.standardOutput.split(separator: "\n").last?.hasSuffix(",2") == true, "\(outcome.standardOutput)")
    }

    @Test("a verifier command past --verifier-timeout is killed at the timeout",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func verifierTimeout() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let started = Date()
        let outcome = try Self.compare(["--strategies", "greedy", "--max-tokens", "2", "--verifier", "command",
                                        "--verifier-command", "sleep 10", "--verifier-timeout", "1"],
                                       model: model.path, lines: String(Self.taskLines.split(separator: "\n")[0]) + "\n")
        // The model loads and generates in a second or two; waiting for `sleep 10` would take 10 s more.
        #expect(Date().timeIntervalSince(started) < 8)
        #expect(outcome.standardError.contains("warning: task add, greedy, seed 0: verifier command `sleep 10` failed: timed out after 1.0 s"),
                "\(outcome.standardError)")
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
