import Foundation

/// A shared place where a ``SpeculativeStrategy`` publishes its ``SpeculativeStatistics`` after
/// every step, for callers that cannot reach the strategy itself (a `Generator` runs a private
/// copy of its strategy). Thread-safe: the strategy writes, anyone may read.
public final class SpeculativeStatisticsCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var latest = SpeculativeStatistics()

    /// An empty collector.
    public init() {}

    /// The statistics of the latest step's strategy (cumulative since its last reset).
    public var statistics: SpeculativeStatistics {
        lock.lock()
        defer { lock.unlock() }
        return latest
    }

    func publish(_ statistics: SpeculativeStatistics) {
        lock.lock()
        latest = statistics
        lock.unlock()
    }
}
