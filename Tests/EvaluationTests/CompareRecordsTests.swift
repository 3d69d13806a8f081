import Foundation
import Testing
import Evaluation

/// Record files (header, records, missing fields, mismatched runs, merging), shards, task
/// folders and the progress text of `decode compare`.
@Suite struct CompareRecordsTests {
    static let header = ComparisonLogHeader(taskSet: "abc", tasks: 3, model: "m1", settings: "s1", strategies: ["greedy", "beam:2"],
                                            seeds: 1, configuration: [("model", "m.gguf")])

    static func record(_ strategy: String, _ task: String, seed: UInt64 = 0, score: Double = 1) -> ComparisonRecord {
        ComparisonRecord(strategy: strategy, task: task, seed: seed, text: "x", tokens: [1], taskScore: score, verifierScore: nil,
                         modelCalls: 2, tokensEvaluated: 10, seconds: 0.5)
    }

    @Test("a record file round-trips: header first, records in order, duplicates dropped")
    func roundTrip() throws {
        let records = [Self.record("greedy", "a"), Self.record("beam:2", "a", score: 0), Self.record("greedy", "b")]
        let text = try ComparisonLog.line(Self.header) + records.map(ComparisonLog.line).joined() + ComparisonLog.line(records[0])
        let log = try ComparisonLog(text: text, file: "r.jsonl")
        #expect(log.header == Self.header)
        #expect(log.records == records)
        #expect(log.keys.contains(ComparisonKey(task: "a", strategy: "beam:2", seed: 0)))
        #expect(log.header.configurationPairs.map(\.key) == ["model"])
    }

    static let malformed: [(text: String, error: ComparisonError)] = [
        ("", .missingHeader(file: "r.jsonl")),
        ("{\"strategy\":\"greedy\"}\n", .missingHeader(file: "r.jsonl")),
        ("{\"header\":{\"version\":1}}\n", .malformedRecord(file: "r.jsonl", line: 1, reason: "bad header: missing field \"taskSet\"")),
        ("HEADER\n{\"task\":\"a\",\"seed\":0,\"text\":\"\",\"tokens\":[],\"modelCalls\":1,\"tokensEvaluated\":1,\"seconds\":1}\n",
         .malformedRecord(file: "r.jsonl", line: 2, reason: "missing field \"strategy\"")),
        ("HEADER\n{\"strategy\":\"greedy\",\"task\":\"a\",\"seed\":0,\"text\":\"\",\"tokens\":[],\"modelCalls\":1,\"seconds\":1}\n",
         .malformedRecord(file: "r.jsonl", line: 2, reason: "missing field \"tokensEvaluated\"")),
        ("HEADER\n{\"strategy\":\"greedy\",\"task\":\"a\",\"seed\":\"zero\",\"text\":\"\",\"tokens\":[],\"modelCalls\":1,\"tokensEvaluated\":1,\"seconds\":1}\n",
         .malformedRecord(file: "r.jsonl", line: 2, reason: "field \"seed\" has the wrong type")),
        ("HEADER\n{\"strategy\":\"greedy\",\"tas\n", .malformedRecord(file: "r.jsonl", line: 2, reason: "not a JSON object")),
    ]

    @Test("a malformed record file is a typed error naming the line and the missing field", arguments: malformed)
    func malformedRecords(text: String, error: ComparisonError) throws {
        let text = text.replacingOccurrences(of: "HEADER\n", with: try ComparisonLog.line(Self.header))
        #expect(throws: error) { try ComparisonLog(text: text, file: "r.jsonl") }
    }

    @Test("a header from another task set, model or settings is refused with both hashes named")
    func mismatchedRun() throws {
        var other = Self.header
        other.taskSet = "def"
        #expect(throws: ComparisonError.mismatchedRecords(file: "old.jsonl", field: "task-set hash", expected: "abc", found: "def")) {
            try Self.header.requireSameRun(as: other, file: "old.jsonl")
        }
        other = Self.header
        other.model = "m2"
        #expect(throws: ComparisonError.mismatchedRecords(file: "old.jsonl", field: "model hash", expected: "m1", found: "m2")) {
            try Self.header.requireSameRun(as: other, file: "old.jsonl")
        }
        other = Self.header
        other.strategies = ["sample"]
        other.shard = "2/2"
        try Self.header.requireSameRun(as: other, file: "old.jsonl")  // strategies and shard may differ
        let description = "\(ComparisonError.mismatchedRecords(file: "old.jsonl", field: "model hash", expected: "m1", found: "m2"))"
        #expect(description == "'old.jsonl' records another run: its model hash is m2, this one's is m1")
    }

    @Test("merging shards: records united, strategies in order, another run refused")
    func merge() throws {
        var second = Self.header
        second.shard = "2/2"
        second.strategies = ["greedy", "beam:2", "sample"]
        let a = ComparisonLog(header: Self.header, records: [Self.record("greedy", "a"), Self.record("beam:2", "a")])
        let b = ComparisonLog(header: second, records: [Self.record("greedy", "b"), Self.record("sample", "b"), Self.record("greedy", "a", score: 0)])
        let merged = try ComparisonLog.merge([("a.jsonl", a), ("b.jsonl", b)])
        #expect(merged.strategies == ["greedy", "beam:2", "sample"])
        #expect(merged.records.count == 4)
        #expect(merged.records.first { $0.task == "a" && $0.strategy == "greedy" }?.taskScore == 1)
        var foreign = second
        foreign.model = "m2"
        #expect(throws: ComparisonError.self) {
            try ComparisonLog.merge([("a.jsonl", a), ("c.jsonl", ComparisonLog(header: foreign, records: []))])
        }
    }

    static let shards: [(text: String, valid: Bool)] = [
        ("1/1", true), ("1/2", true), ("2/2", true), ("3/7", true),
        ("0/0", false), ("3/2", false), ("0/2", false), ("1/0", false), ("-1/2", false), ("1", false), ("a/b", false), ("1/2/3", false),
    ]

    @Test("--shard I/N: 1 ≤ I ≤ N, else a typed error", arguments: shards)
    func shardParsing(text: String, valid: Bool) {
        if valid {
            #expect((try? TaskShard(parsing: text))?.description == text)
        } else {
            #expect(throws: ComparisonError.invalidShard(text)) { try TaskShard(parsing: text) }
        }
    }

    @Test("shards partition the tasks: every task in exactly one")
    func shardsPartition() throws {
        let items = Array(0..<10)
        let parts = try (1...3).map { try TaskShard(index: $0, count: 3).select(items) }
        #expect(parts == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]])
        #expect(TaskShard.all.select(items) == items)
    }

    @Test("a folder of task files: name order, ids prefixed by file, duplicates named, one hash")
    func taskFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tasks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{\"id\":\"x\",\"prompt\":\"1\",\"reference\":\"1\"}\n{\"prompt\":\"2\",\"reference\":\"2\"}\n".utf8)
            .write(to: folder.appendingPathComponent("b.jsonl"))
        try Data("# first\n{\"id\":\"y\",\"prompt\":\"3\",\"reference\":\"3\"}\n".utf8).write(to: folder.appendingPathComponent("a.jsonl"))
        try Data("not tasks".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let set = try TaskSet(contentsOf: folder)
        #expect(set.errors.isEmpty)
        #expect(set.tasks.map(\.id) == ["y", "x", "b.jsonl line 2"])
        #expect(set.files.map(\.lastPathComponent) == ["a.jsonl", "b.jsonl"])
        // The hash covers the task lines only: the same lines in one file hash the same.
        let single = folder.appendingPathComponent("all.txt")
        try Data("{\"id\":\"y\",\"prompt\":\"3\",\"reference\":\"3\"}\n\n{\"id\":\"x\",\"prompt\":\"1\",\"reference\":\"1\"}\n{\"prompt\":\"2\",\"reference\":\"2\"}\n".utf8)
            .write(to: single)
        #expect(try TaskSet(contentsOf: single).hash == set.hash)

        try Data("{\"id\":\"x\",\"prompt\":\"4\",\"reference\":\"4\"}\n".utf8).write(to: folder.appendingPathComponent("c.jsonl"))
        let duplicated = try TaskSet(contentsOf: folder)
        #expect(duplicated.errors.count == 1)
        #expect(duplicated.errors.first?.description.hasSuffix("c.jsonl' line 1: task id 'x' appears twice (b.jsonl line 1 and c.jsonl line 1); ids must be unique") == true,
                "\(duplicated.errors)")
    }

    @Test("a missing path or a folder with no .jsonl file is a typed error")
    func unreadableTasks() throws {
        #expect(throws: ComparisonError.self) { try TaskSet(contentsOf: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)")) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ComparisonError.unreadable(path: folder.path, reason: "the folder has no .jsonl file")) {
            try TaskSet(contentsOf: folder)
        }
    }

    @Test("progress: the bar's counts, elapsed time and ETA; a line per task")
    func progressText() {
        var progress = ComparisonProgress(totalRuns: 120, totalTasks: 30, skippedRuns: 8)
        #expect(progress.bar(elapsed: 0, width: 10) == "[··········] 0/120 runs (8 already recorded) · 0/30 tasks · 0:00 elapsed · ETA –")
        progress.doneRuns = 40
        progress.doneTasks = 10
        #expect(progress.secondsLeft(elapsed: 32) == 64)
        #expect(progress.bar(elapsed: 32, width: 10) == "[###·······] 40/120 runs (8 already recorded) · 10/30 tasks · 0:32 elapsed · ETA 1:04")
        let line = ComparisonProgress.taskLine(index: 3, of: 30, task: "add-1",
                                               records: [Self.record("greedy", "add-1"), Self.record("beam:2", "add-1", score: 0)],
                                               strategies: ["greedy", "sample", "beam:2"])
        #expect(line == "[3/30] add-1: greedy 1, beam:2 0\n")
    }
}
