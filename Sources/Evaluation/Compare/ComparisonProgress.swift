import Foundation

/// Where a comparison run stands, as text for a terminal: a progress bar with counts and an
/// estimated time left, or one line per finished task for a log. It only formats; the caller
/// decides where (and whether) to write.
public struct ComparisonProgress: Sendable, Hashable {
    /// Runs (task × strategy × seed) this invocation has to do.
    public var totalRuns: Int
    /// Runs done so far.
    public var doneRuns = 0
    /// Tasks with runs to do.
    public var totalTasks: Int
    /// Tasks finished so far.
    public var doneTasks = 0
    /// Runs skipped because a resumed record file already had them.
    public var skippedRuns: Int

    /// A run about to start.
    public init(totalRuns: Int, totalTasks: Int, skippedRuns: Int = 0) {
        self.totalRuns = totalRuns
        self.totalTasks = totalTasks
        self.skippedRuns = skippedRuns
    }

    /// Seconds left if the remaining runs take as long as the done ones did on average; `nil`
    /// before the first run finishes.
    public func secondsLeft(elapsed: Double) -> Double? {
        guard doneRuns > 0 else { return nil }
        return elapsed / Double(doneRuns) * Double(totalRuns - doneRuns)
    }

    /// `[##########··········]  40/120 runs · 10/30 tasks · 0:32 elapsed · ETA 1:04`, no newline.
    public func bar(elapsed: Double, width: Int = 24) -> String {
        let filled = totalRuns == 0 ? width : min(width, doneRuns * width / totalRuns)
        let eta = secondsLeft(elapsed: elapsed).map(Self.clock) ?? "–"
        let skipped = skippedRuns > 0 ? " (\(skippedRuns) already recorded)" : ""
        return "[" + String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled) + "] "
            + "\(doneRuns)/\(totalRuns) runs\(skipped) · \(doneTasks)/\(totalTasks) tasks · \(Self.clock(elapsed)) elapsed · ETA \(eta)"
    }

    /// `[3/30] add-1: greedy 1, beam:2 0.5, sample failed` — each strategy's score on the task
    /// (mean over the seeds run), newline-terminated.
    public static func taskLine(index: Int, of count: Int, task: String, records: [ComparisonRecord],
                                strategies: [String]) -> String {
        let rows = ComparisonRow.summarize(records, strategies: strategies)
        let scores = rows.compactMap { row -> String? in
            let runs = records.filter { $0.strategy == row.strategy }.count
            guard runs > 0 else { return nil }
            return "\(row.strategy) " + (row.failed == runs ? "failed" : String(format: "%.3g", row.scoreMean))
        }
        return "[\(index)/\(count)] \(task): \(scores.joined(separator: ", "))\n"
    }

    /// `m:ss` (or `h:mm:ss`).
    static func clock(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}
