import Foundation

/// How busy the machine's cores are right now: what a ``ThreadPool`` reads before it tries
/// running on more threads.
public enum SystemLoad {
    /// Runnable threads of other processes: the run queue's length now (the fourth field of
    /// Linux's `/proc/loadavg`, `running/total`, counts every thread ready to run, ours
    /// included) less the `ours` that are running; nil where the file does not exist.
    ///
    /// - Complexity: one small file read (a few microseconds); called once per window of
    ///   loops, not per loop.
    @Sendable public static func competingThreads(ours: Int) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .ascii) else { return nil }
        return competingThreads(loadavg: text, ours: ours)
    }

    /// ``competingThreads(ours:)`` from the text of `/proc/loadavg`; nil when it is malformed.
    public static func competingThreads(loadavg text: String, ours: Int) -> Int? {
        let fields = text.split(separator: " ")
        guard fields.count >= 4, let slash = fields[3].firstIndex(of: "/"),
              let running = Int(fields[3][..<slash]) else { return nil }
        return max(0, running - ours)
    }
}
