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
        (["--strategies", "greedy,beam:2", "--baseline", "beam:8"], "baseline 'beam:8' is not among the strategies (greedy, beam:2)"),
        (["--shard", "0/0"], "shard '0/0' must be I/N with 1 ≤ I ≤ N"),
        (["--shard", "3/2"], "shard '3/2' must be I/N with 1 ≤ I ≤ N"),
        (["--shard", "two"], "shard 'two' must be I/N"),
        (["--shard", "3/5"], "shard 3/5 of 2 tasks has no task"),
        (["--merge", "a.jsonl", "--shard", "1/2"], "--merge prints the table of record files"),
        (["--out", "a.jsonl", "--resume", "b.jsonl"], "--resume appends to its own file"),
        (["--resume", "/nonexistent-\(UUID().uuidString).jsonl"], "no such file, or it cannot be read"),
        (["--merge", "/nonexistent-\(UUID().uuidString).jsonl"], "no such file, or it cannot be read"),
        (["--tasks", "/nonexistent-\(UUID().uuidString)"], "no such file or folder"),
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
        #expect(outcome.standardOutput.contains("- behind each row: 2 tasks × 1 seed\n"), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("| Δ vs greedy [95 % CI] | W/T/L | p | MDE |"), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("| greedy | ") && outcome.standardOutput.contains(" | baseline | "),
                "\(outcome.standardOutput)")
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

    @Test("jsonl: one record per task × strategy × seed (seed 0 only for strategies that ignore it)",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func jsonLines() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let outcome = try Self.compare(["--strategies", "greedy,sample", "--max-tokens", "4",
                                        "--seeds", "2", "--format", "jsonl"], model: model.path)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let records = try outcome.standardOutput.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        #expect(records.count == 2 * (1 + 2), "\(outcome.standardOutput)")
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
        for task in ["add", "capital"] {
            expected.insert("greedy/\(task)/0")
            for seed in 0..<2 { expected.insert("sample/\(task)/\(seed)") }
        }
        #expect(seen == expected)
    }

    /// A record file with `header` fields changed and `lines` appended.
    static func recordFile(taskSet: String = "0", model: String = "0", lines: String = "") throws -> URL {
        let header = "{\"header\":{\"version\":1,\"taskSet\":\"\(taskSet)\",\"tasks\":2,\"model\":\"\(model)\",\"settings\":\"0\","
            + "\"strategies\":[\"greedy\"],\"seeds\":1,\"shard\":\"1/1\",\"configuration\":[[\"model\",\"m.gguf\"]]}}\n"
        return try CommandRunner.temporaryFile(named: "records.jsonl", contents: Data((header + lines).utf8))
    }

    @Test("a resume file from another task set is refused before the model loads")
    func resumeFromAnotherTaskSet() throws {
        let records = try Self.recordFile(taskSet: "0")
        defer { try? FileManager.default.removeItem(at: records) }
        let outcome = try Self.compare(["--resume", records.path])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.hasPrefix("error: '\(records.path)' records another run: its task-set hash is 0, this one's is "),
                "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test("--merge: a record with a missing field is an error naming the file, the line and the field")
    func mergeMissingField() throws {
        let records = try Self.recordFile(lines: "{\"strategy\":\"greedy\",\"task\":\"add\",\"seed\":0,\"text\":\"4\",\"tokens\":[1],"
                                          + "\"modelCalls\":1,\"seconds\":0.1}\n")
        defer { try? FileManager.default.removeItem(at: records) }
        let outcome = try CommandRunner.run(["compare", "--merge", records.path])
        #expect(outcome.status != 0)
        #expect(outcome.standardError == "error: '\(records.path)' line 2: missing field \"tokensEvaluated\"\n", "\(outcome.standardError)")
    }

    @Test("--merge prints the table from records alone; merging another run's file is refused")
    func mergeTable() throws {
        var lines = ""
        for (task, greedy, beam) in [("add", 0, 1), ("capital", 1, 1), ("x", 0, 1)] {
            lines += "{\"strategy\":\"greedy\",\"task\":\"\(task)\",\"seed\":0,\"text\":\"\",\"tokens\":[1],\"taskScore\":\(greedy),"
                + "\"modelCalls\":2,\"tokensEvaluated\":10,\"seconds\":0.1}\n"
            lines += "{\"strategy\":\"beam:2\",\"task\":\"\(task)\",\"seed\":0,\"text\":\"\",\"tokens\":[1],\"taskScore\":\(beam),"
                + "\"modelCalls\":4,\"tokensEvaluated\":20,\"seconds\":0.2}\n"
        }
        let a = try Self.recordFile(lines: lines)
        let b = try Self.recordFile(lines: "")
        let other = try Self.recordFile(model: "1")
        defer { for url in [a, b, other] { try? FileManager.default.removeItem(at: url) } }
        let outcome = try CommandRunner.run(["compare", "--merge", a.path, b.path])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("- behind each row: 3 tasks × 1 seed\n"), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("- records: 6 from 2 file(s), covering 3 of 2 tasks\n"), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("| beam:2 | 1.000 [1.000, 1.000] | +0.667 ["), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("| 2/1/0 | 0.500 |"), "\(outcome.standardOutput)")
        let byBeam = try CommandRunner.run(["compare", "--merge", a.path, "--baseline", "beam:2", "--format", "csv"])
        #expect(byBeam.standardOutput.contains("\ngreedy,0.3333,0.0000,"), "\(byBeam.standardOutput)")
        let unknown = try CommandRunner.run(["compare", "--merge", a.path, "--baseline", "sample"])
        #expect(unknown.standardError == "error: baseline 'sample' is not among the strategies (greedy, beam:2)\n", "\(unknown.standardError)")
        let mixed = try CommandRunner.run(["compare", "--merge", a.path, other.path])
        #expect(mixed.status != 0)
        #expect(mixed.standardError == "error: '\(other.path)' records another run: its model hash is 1, this one's is 0\n",
                "\(mixed.standardError)")
    }

    @Test("a task folder: its .jsonl files are read, a bad line is named with its file, before the model loads")
    func taskFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("decode-cli-\(UUID().uuidString)-tasks")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(Self.taskLines.utf8).write(to: folder.appendingPathComponent("a.jsonl"))
        try Data("{\"prompt\": 1}\n".utf8).write(to: folder.appendingPathComponent("b.jsonl"))
        let outcome = try CommandRunner.run(["compare", "--model", "/nonexistent/model.gguf", "--tasks", folder.path])
        #expect(outcome.status != 0)
        #expect(outcome.standardError == "error: task file '\(folder.appendingPathComponent("b.jsonl").path)' line 1: \"prompt\" must be a string\n",
                "\(outcome.standardError)")
    }

    @Test("--out streams records; --resume redoes nothing recorded and runs only what is missing",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func outAndResume() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("decode-cli-\(UUID().uuidString)-records.jsonl")
        defer { try? FileManager.default.removeItem(at: out) }
        let arguments = ["--strategies", "greedy,sample", "--max-tokens", "3", "--seeds", "2"]
        let first = try Self.compare(arguments + ["--out", out.path], model: model.path)
        #expect(first.status == 0, "\(first.standardError)")
        let written = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        // greedy ignores the seed: one record per task; sample: two.
        #expect(written.count == 1 + 2 * (1 + 2), "\(written)")
        #expect(written.first?.hasPrefix("{\"header\":") == true)
        // Writing over an existing record file is refused.
        let again = try Self.compare(arguments + ["--out", out.path], model: model.path)
        #expect(again.status != 0 && again.standardError.contains("exists; continue it with --resume"), "\(again.standardError)")

        // Everything recorded: nothing runs, the file is unchanged, the table is the same.
        let resumed = try Self.compare(arguments + ["--resume", out.path], model: model.path)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardError.contains("6 runs already recorded, 0 to do"), "\(resumed.standardError)")
        #expect(!resumed.standardError.contains("[1/2]"), "\(resumed.standardError)")
        #expect(try String(contentsOf: out, encoding: .utf8).split(separator: "\n") == written)
        func scores(_ table: String) -> [Substring] {
            table.split(separator: "\n").filter { $0.hasPrefix("| greedy") || $0.hasPrefix("| sample") }
                .map { $0.split(separator: "|")[1] }
        }
        #expect(scores(resumed.standardOutput) == scores(first.standardOutput), "\(resumed.standardOutput)")

        // One record lost: exactly that run is redone.
        try Data((written.dropLast().joined(separator: "\n") + "\n").utf8).write(to: out)
        let partial = try Self.compare(arguments + ["--resume", out.path], model: model.path)
        #expect(partial.status == 0, "\(partial.standardError)")
        #expect(partial.standardError.contains("5 runs already recorded, 1 to do"), "\(partial.standardError)")
        let progress = partial.standardError.split(separator: "\n").filter { $0.hasPrefix("[") }
        #expect(progress == ["[2/2] capital: sample " + (progress.first?.split(separator: " ").last ?? "")], "\(partial.standardError)")
        let after = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(after.count == written.count && after.dropLast() == written.dropLast(), "\(after)")
        // The redone run is the same run (same seed, same tokens); only its wall time differs.
        func withoutTime(_ line: Substring?) throws -> [String: String] {
            let object = try #require(JSONSerialization.jsonObject(with: Data((line ?? "").utf8)) as? [String: Any])
            return object.filter { $0.key != "seconds" }.mapValues { "\($0)" }
        }
        #expect(try withoutTime(after.last) == withoutTime(written.last))
    }

    @Test("a resume file from another model is refused once the model loads",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func resumeFromAnotherModel() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("decode-cli-\(UUID().uuidString)-records.jsonl")
        defer { try? FileManager.default.removeItem(at: out) }
        let first = try Self.compare(["--strategies", "greedy", "--max-tokens", "1", "--out", out.path], model: model.path)
        #expect(first.status == 0, "\(first.standardError)")
        var text = try String(contentsOf: out, encoding: .utf8)
        let range = try #require(text.range(of: #""model":"[0-9a-f]+""#, options: .regularExpression))
        text.replaceSubrange(range, with: "\"model\":\"123\"")
        try Data(text.utf8).write(to: out)
        let resumed = try Self.compare(["--strategies", "greedy", "--max-tokens", "1", "--resume", out.path], model: model.path)
        #expect(resumed.status != 0)
        #expect(resumed.standardError.contains("records another run: its model hash is 123, this one's is "), "\(resumed.standardError)")
    }

    @Test("--shard 1/2 and 2/2 with --out, then --merge: the table of both halves; --quiet prints no progress",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func shardAndMerge() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("decode-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let parts = [folder.appendingPathComponent("1.jsonl"), folder.appendingPathComponent("2.jsonl")]
        for (index, part) in parts.enumerated() {
            let outcome = try Self.compare(["--strategies", "greedy,beam:2", "--max-tokens", "3", "--shard", "\(index + 1)/2",
                                            "--out", part.path, "--quiet"], model: model.path)
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let progress = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("[") || $0.hasPrefix("statistics") }
            #expect(progress.isEmpty, "\(outcome.standardError)")
            #expect(outcome.standardOutput.contains("- shard: \(index + 1)/2: 1 tasks\n"), "\(outcome.standardOutput)")
            #expect(outcome.standardOutput.contains("- behind each row: 1 tasks × 1 seed\n"), "\(outcome.standardOutput)")
        }
        let merged = try CommandRunner.run(["compare", "--merge"] + parts.map(\.path))
        #expect(merged.status == 0, "\(merged.standardError)")
        #expect(merged.standardOutput.contains("- behind each row: 2 tasks × 1 seed\n"), "\(merged.standardOutput)")
        #expect(merged.standardOutput.contains("covering 2 of 2 tasks"), "\(merged.standardOutput)")
        #expect(!merged.standardOutput.contains("- shard:"), "\(merged.standardOutput)")
    }
}
