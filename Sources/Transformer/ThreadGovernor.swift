/// Decides how many of a ``ThreadPool``'s threads run its loops by trying a neighbouring count
/// now and then and keeping whichever runs the same loops faster.
///
/// A descheduled worker that holds an index keeps the others waiting at the end of the loop for
/// a scheduler time slice; when another process competes for the cores this happens often
/// enough that fewer threads finish sooner. Waiting alone does not say which count is faster
/// (a worker still helps while it runs, and the caller is descheduled too), so the governor
/// measures instead: it times each loop by its index count (the loops of a forward pass repeat
/// with the same counts every token), and after each window of ``windowLoops`` loops it may
/// run one window on one thread fewer or one more. That probe is kept when the loops it ran
/// took at least ``requiredGain`` less time than the same loops took in the window before it;
/// otherwise the count goes back. After a probe that is not kept the next one waits twice as
/// long (up to ``maxBackoff``), after a switch the wait starts again at ``initialBackoff``: a
/// steady load costs one short probe every couple of seconds, and a load that goes away is
/// noticed quickly.
struct ThreadGovernor {
    /// Loops per window (a forward pass of one token runs about 170).
    static let windowLoops = 512
    /// How much faster a probe must be to be kept: probe time ≤ (1 − gain) × reference time.
    static let requiredGain = 0.05
    /// First wait after a switch before the next probe (nanoseconds).
    static let initialBackoff: UInt64 = 100_000_000
    /// Longest wait between probes (nanoseconds).
    static let maxBackoff: UInt64 = 2_000_000_000

    /// Total time and number of the loops with one index count.
    struct Sample {
        var nanoseconds: UInt64 = 0
        var loops = 0
    }

    /// Threads the pool has, the caller included.
    let threads: Int
    /// Threads the loops run on now.
    private(set) var active: Int
    /// The count to go back to while a probe runs.
    private var settled: Int
    private var window: [Int: Sample] = [:]
    private var reference: [Int: Sample] = [:]
    private var loops = 0
    private var backoff = initialBackoff
    private var probeAt: UInt64 = 0
    private var probeDown = true

    /// A governor that starts with all `threads` running.
    init(threads: Int) {
        self.threads = threads
        active = threads
        settled = threads
        window.reserveCapacity(32)
        reference.reserveCapacity(32)
    }

    /// Records a loop of `count` indices that took `nanoseconds` on ``active`` threads, ending
    /// at `now`. Returns the thread count for the next loops when it changes.
    mutating func record(count: Int, nanoseconds: UInt64, now: UInt64) -> Int? {
        window[count, default: Sample()].nanoseconds += nanoseconds
        window[count, default: Sample()].loops += 1
        loops += 1
        guard loops >= Self.windowLoops, threads > 1 else { return nil }
        loops = 0
        if active != settled { return finishProbe(now: now) }
        swap(&window, &reference)
        window.removeAll(keepingCapacity: true)
        if probeAt == 0 {
            // The first window pays for first touches of the weights: no probe against it.
            probeAt = now + backoff
        }
        guard now >= probeAt else { return nil }
        // Try a neighbour: fewer threads from the top, more from one, else alternate.
        probeDown = active == threads || (active > 1 && !probeDown)
        active += probeDown ? -1 : 1
        return active
    }

    /// Compares the probe window with the settled window before it, on the counts both ran.
    private mutating func finishProbe(now: UInt64) -> Int? {
        var probeTime = 0.0, referenceTime = 0.0
        for (count, probe) in window {
            guard let before = reference[count] else { continue }
            probeTime += Double(probe.nanoseconds)
            referenceTime += Double(probe.loops) * Double(before.nanoseconds) / Double(before.loops)
        }
        window.removeAll(keepingCapacity: true)
        reference.removeAll(keepingCapacity: true)
        if referenceTime > 0, probeTime <= (1 - Self.requiredGain) * referenceTime {
            settled = active
            backoff = Self.initialBackoff
            probeAt = now + backoff
            return nil
        }
        probeAt = now + backoff
        backoff = min(backoff * 2, Self.maxBackoff)
        active = settled
        return active
    }
}
