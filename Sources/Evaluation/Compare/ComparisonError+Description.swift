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
        case .invalidVerifier(let reason):
            return reason
        }
    }
}
