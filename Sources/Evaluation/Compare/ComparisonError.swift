/// Errors of a comparison's input a user can get wrong: its baseline, shard, verifiers, task
/// files and record files.
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
    /// A verifier list that is empty, names an unknown verifier or gives a weight that is not a
    /// finite number (the reason says which).
    case invalidVerifier(String)
}
