import Foundation

/// The first line of a comparison's record file: what was measured (fingerprints of the task
/// set, the model and the settings that change an answer), so a resumed or merged run can refuse
/// records of another run, and the configuration the table prints.
public struct ComparisonLogHeader: Sendable, Hashable, Codable {
    /// Version of the record file format (1).
    public var version: Int
    /// ``TaskSet/hash`` of the whole task set (not only the shard).
    public var taskSet: String
    /// Tasks in the whole set.
    public var tasks: Int
    /// Fingerprint of the model file.
    public var model: String
    /// Fingerprint of the settings that change an answer (max tokens, temperature, verifier, budget).
    public var settings: String
    /// Strategies of the run, in order (the first is the default baseline).
    public var strategies: [String]
    /// Seeds per task × strategy (seed values 0 ..< seeds).
    public var seeds: Int
    /// The shard this file's run covered (`1/1` for all).
    public var shard: String
    /// The table's header lines, `[key, value]`.
    public var configuration: [[String]]

    /// A header.
    public init(taskSet: String, tasks: Int, model: String, settings: String, strategies: [String], seeds: Int,
                shard: TaskShard = .all, configuration: [(key: String, value: String)]) {
        version = 1
        self.taskSet = taskSet
        self.tasks = tasks
        self.model = model
        self.settings = settings
        self.strategies = strategies
        self.seeds = seeds
        self.shard = shard.description
        self.configuration = configuration.map { [$0.key, $0.value] }
    }

    /// ``configuration`` as pairs.
    public var configurationPairs: [(key: String, value: String)] {
        configuration.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
    }

    /// Throws unless `other` measured the same task set, model and settings (`file` names `other`).
    ///
    /// - Throws: ``ComparisonError/mismatchedRecords(file:field:expected:found:)``.
    public func requireSameRun(as other: ComparisonLogHeader, file: String) throws(ComparisonError) {
        for (field, mine, theirs) in [("task-set hash", taskSet, other.taskSet), ("model hash", model, other.model),
                                      ("settings hash (max tokens, temperature, verifier, budget)", settings, other.settings)]
        where mine != theirs {
            throw .mismatchedRecords(file: file, field: field, expected: mine, found: theirs)
        }
    }
}

/// Where a record belongs: one task × strategy × seed.
public struct ComparisonKey: Sendable, Hashable {
    /// The task id.
    public var task: String
    /// The strategy.
    public var strategy: String
    /// The seed.
    public var seed: UInt64

    /// A key.
    public init(task: String, strategy: String, seed: UInt64) {
        self.task = task
        self.strategy = strategy
        self.seed = seed
    }

    /// The key of `record`.
    public init(_ record: ComparisonRecord) {
        self.init(task: record.task, strategy: record.strategy, seed: record.seed)
    }
}

/// A comparison's record file, JSON lines: `{"header": {…}}` first, then one
/// ``ComparisonRecord`` per line, appended as each run finishes, so a stopped run can resume
/// and shards can be merged into one table.
public struct ComparisonLog: Sendable {
    /// The header.
    public var header: ComparisonLogHeader
    /// The records, first occurrence of each key kept, in file order.
    public var records: [ComparisonRecord]

    /// A log.
    public init(header: ComparisonLogHeader, records: [ComparisonRecord]) {
        self.header = header
        self.records = records
    }

    /// The header's strategies, then any other strategy the records have (a resumed run that
    /// added one), in order of appearance.
    public var strategies: [String] {
        var names = header.strategies
        for record in records where !names.contains(record.strategy) { names.append(record.strategy) }
        return names
    }

    /// The keys of ``records``.
    public var keys: Set<ComparisonKey> { Set(records.map(ComparisonKey.init)) }

    /// The header line, newline-terminated.
    public static func line(_ header: ComparisonLogHeader) throws -> String {
        struct Wrapped: Encodable { let header: ComparisonLogHeader }
        return String(decoding: try encoder.encode(Wrapped(header: header)), as: UTF8.self) + "\n"
    }

    /// One record's line, newline-terminated.
    public static func line(_ record: ComparisonRecord) throws -> String {
        String(decoding: try encoder.encode(record), as: UTF8.self) + "\n"
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Parses a record file's text (`file` names it in errors).
    ///
    /// - Throws: ``ComparisonError/missingHeader(file:)`` when the first line is not a header;
    ///   ``ComparisonError/malformedRecord(file:line:reason:)`` for a line that is not JSON, or a
    ///   record missing a field (named) or with a field of the wrong type.
    public init(text: String, file: String) throws(ComparisonError) {
        var header: ComparisonLogHeader?
        var records: [ComparisonRecord] = []
        var seen: Set<ComparisonKey> = []
        let decoder = JSONDecoder()
        struct Wrapped: Decodable { let header: ComparisonLogHeader }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let data = Data(trimmed.utf8)
            guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
                throw .malformedRecord(file: file, line: index + 1, reason: "not a JSON object")
            }
            if header == nil {
                do { header = try decoder.decode(Wrapped.self, from: data).header } catch {
                    if (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["header"] == nil {
                        throw .missingHeader(file: file)
                    }
                    throw .malformedRecord(file: file, line: index + 1, reason: "bad header: \(Self.reason(error))")
                }
                continue
            }
            let record: ComparisonRecord
            do { record = try decoder.decode(ComparisonRecord.self, from: data) } catch {
                throw .malformedRecord(file: file, line: index + 1, reason: Self.reason(error))
            }
            if seen.insert(ComparisonKey(record)).inserted { records.append(record) }
        }
        guard let header else { throw .missingHeader(file: file) }
        self.init(header: header, records: records)
    }

    /// Reads and parses a record file.
    ///
    /// - Throws: ``ComparisonError`` as ``init(text:file:)``, or ``ComparisonError/unreadable(path:reason:)``.
    public init(contentsOf url: URL) throws(ComparisonError) {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .unreadable(path: url.path, reason: "no such file, or it cannot be read")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), file: url.path)
    }

    /// Merges logs of one run (shards, resumed parts): the first log's header with the
    /// strategies of all in order of appearance; each key's first record kept.
    ///
    /// - Throws: ``ComparisonError/mismatchedRecords(file:field:expected:found:)`` when a log
    ///   measured another task set, model or settings than the first.
    public static func merge(_ logs: [(file: String, log: ComparisonLog)]) throws(ComparisonError) -> ComparisonLog {
        guard var merged = logs.first?.log else { throw .missingHeader(file: "(no file)") }
        var seen = merged.keys
        for (file, log) in logs.dropFirst() {
            try merged.header.requireSameRun(as: log.header, file: file)
            for strategy in log.header.strategies where !merged.header.strategies.contains(strategy) {
                merged.header.strategies.append(strategy)
            }
            merged.header.seeds = max(merged.header.seeds, log.header.seeds)
            for record in log.records where seen.insert(ComparisonKey(record)).inserted { merged.records.append(record) }
        }
        if logs.count > 1 { merged.header.shard = "merged from \(logs.count) files" }
        return merged
    }

    private static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: return "missing field \"\(key.stringValue)\""
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "field \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type"
        case .dataCorrupted(let context)?: return context.debugDescription
        default: return "\(error)"
        }
    }
}
