/// Errors of a comparison's input a user can get wrong: its baseline, shard, task files and
/// record files.
public enum ComparisonError: Error, Equatable, Sendable {
    /// A baseline that is not among the strategies compared.
    case unknownBaseline(String, strategies: [String])
    /// A `--shard` that is not `I/N` with 1 ≤ I ≤ N.
    case invalidShard(String)
    /// Settings of the statistics out of range.
    case invalidStatistics(String)
    /// Two tasks with one id (ids key the records, so they must be unique).
    case duplicateTaskID(String, first: String, second: String)
    /// A path that cannot be read, or a task folder with no `.jsonl` file.
    case unreadable(path: String, reason: String)
    /// A record file whose header does not match this run (or another file being merged).
    case mismatchedRecords(file: String, field: String, expected: String, found: String)
    /// A line of a record file that is not a record or the header.
    case malformedRecord(file: String, line: Int, reason: String)
    /// A record file with no header line.
    case missingHeader(file: String)
}

extension ComparisonError: CustomStringConvertible {
    /// A sentence a user understands.
    public var description: String {
        switch self {
        case .unknownBaseline(let name, let strategies):
            return "baseline '\(name)' is not among the strategies (\(strategies.joined(separator: ", ")))"
        case .invalidShard(let text):
            return "shard '\(text)' must be I/N with 1 ≤ I ≤ N (1/2 and 2/2 split the tasks in two)"
        case .invalidStatistics(let reason):
            return "invalid statistics settings: \(reason)"
        case .duplicateTaskID(let id, let first, let second):
            return "task id '\(id)' appears twice (\(first) and \(second)); ids must be unique"
        case .unreadable(let path, let reason):
            return "cannot read '\(path)': \(reason)"
        case .mismatchedRecords(let file, let field, let expected, let found):
            return "'\(file)' records another run: its \(field) is \(found), this one's is \(expected)"
        case .malformedRecord(let file, let line, let reason):
            return "'\(file)' line \(line): \(reason)"
        case .missingHeader(let file):
            return "'\(file)' has no header line (the first line of a record file written by --out)"
        }
    }
}
