/// Decides how many of a ``ThreadPool``'s threads run its loops: when the caller waits at the
/// end of its loops it tries one thread fewer, now and then it tries one more, and it keeps
/// whichever count runs the same loops faster.
///
/// A descheduled worker that holds an index keeps the others waiting at the end of the loop for
/// a scheduler time slice; when another process competes for the cores this happens often
/// enough that fewer threads finish sooner. Waiting alone does not say which count is faster (a
/// worker that stalls some loops still helps in the others), so waiting only triggers a trial
/// and time decides: the governor times each loop by its index count (the loops of a forward
/// pass repeat with the same counts every token), and a trial window on the neighbouring count
/// is kept when the loops it ran took clearly less time than the same loops in the windows
/// before it (``requiredGainWithFewer``, ``requiredGainWithMore``). After a trial that is not kept the next one waits twice as long
/// (``initialBackoff`` up to ``maxBackoff``). On a machine with idle cores the caller hardly
/// waits, so the full count runs with no trials at all. A trial on more threads is made only
/// when the system's run queue leaves a core for it (``SystemLoad``), so a competing process
/// that keeps a core busy costs no repeated trials.
struct ThreadGovernor {
    /// Loops per window (a forward pass of one token runs about 170).
    static let windowLoops = 512
    /// Share of a window's time the caller must spend waiting for others' indices before one
    /// thread fewer is tried: quiet machines measure about 1%.
    static let waitShareForTrial = 0.1
    /// How much faster a trial on fewer threads must be to be kept: trial time ≤ (1 − gain) ×
    /// reference time.
    static let requiredGainWithFewer = 0.05
    /// The same for a trial on more threads. Higher, because a window on more threads varies
    /// far more under a competing load (a few stalls more or less) than one on fewer, and a
    /// lucky window would otherwise bring the stalls back; a quiet machine clears it easily.
    static let requiredGainWithMore = 0.15
    /// First wait before the next trial (nanoseconds).
    static let initialBackoff: UInt64 = 200_000_000
    /// Longest wait between trials (nanoseconds).
    static let maxBackoff: UInt64 = 3_200_000_000

    /// Total time and number of the loops with one index count.
    struct Sample {
        var nanoseconds: UInt64 = 0
        var loops = 0
    }

    /// Threads the pool has, the caller included.
    let threads: Int
    /// Threads of other processes ready to run now, given how many of ours run (nil: unknown);
    /// read once a window, before a trial on more threads.
    let competingThreads: @Sendable (_ ours: Int) -> Int?
    /// Threads the loops run on now.
    private(set) var active: Int
    /// The count to go back to while a trial runs.
    private var settled: Int
    private var window: [Int: Sample] = [:]
    private var reference: [Int: Sample] = [:]
    private var loops = 0
    private var time: UInt64 = 0
    private var waited: UInt64 = 0
    private var backoff = initialBackoff
    /// No trial before this time; 0 until the first window (which pays for first touches of
    /// the weights) has ended.
    private var trialAt: UInt64 = 0

    /// A governor that starts with all `threads` running. (Not with the cores the run queue
    /// leaves free: one sample of it is often a passing process, and a prefill started on too
    /// few threads costs far more than a few windows on too many.)
    init(threads: Int, competingThreads: @escaping @Sendable (_ ours: Int) -> Int?) {
        self.threads = threads
        self.competingThreads = competingThreads
        active = threads
        settled = threads
        window.reserveCapacity(32)
        reference.reserveCapacity(32)
    }

    /// Records a loop of `count` indices that took `nanoseconds` on ``active`` threads, of
    /// which the caller spent `waited` waiting for other threads, ending at `now`. Returns the
    /// thread count for the next loops when it changes.
    mutating func record(count: Int, nanoseconds: UInt64, waited: UInt64, now: UInt64) -> Int? {
        window[count, default: Sample()].nanoseconds += nanoseconds
        window[count, default: Sample()].loops += 1
        loops += 1
        time += nanoseconds
        self.waited += waited
        guard loops >= Self.windowLoops, threads > 1 else { return nil }
        let waitShare = Double(self.waited) / Double(max(time, 1))
        loops = 0
        time = 0
        self.waited = 0
        if active != settled { return finishTrial(now: now) }
        // The reference weighs the last window 1/2, the one before 1/4, …: one lucky or unlucky
        // window does not decide a trial.
        // In place (no copy of the table); counts that stopped recurring (a prefill's) drop out.
        var faded = false
        for index in reference.indices {
            reference.values[index].nanoseconds /= 2
            reference.values[index].loops /= 2
            faded = faded || reference.values[index].loops == 0
        }
        if faded { reference = reference.filter { $0.value.loops > 0 } }
        for (count, sample) in window {
            reference[count, default: Sample()].nanoseconds += sample.nanoseconds
            reference[count, default: Sample()].loops += sample.loops
        }
        window.removeAll(keepingCapacity: true)
        if trialAt == 0 {
            trialAt = now
            return nil
        }
        guard now >= trialAt else { return nil }
        if active > 1, waitShare >= Self.waitShareForTrial {
            active -= 1
        } else if active < threads, hasCoreForOneMore() {
            active += 1
        } else {
            return nil
        }
        return active
    }

    /// Whether one more thread would find a core that no other process is using: a trial on
    /// more threads while every core is busy only brings the stalls back for a window.
    private func hasCoreForOneMore() -> Bool {
        guard let others = competingThreads(active) else { return true }
        return active + 1 + others <= threads
    }

    /// Compares the trial window with the settled window before it, on the counts both ran.
    private mutating func finishTrial(now: UInt64) -> Int? {
        var trialTime = 0.0, referenceTime = 0.0
        for (count, trial) in window {
            guard let before = reference[count] else { continue }
            trialTime += Double(trial.nanoseconds)
            referenceTime += Double(trial.loops) * Double(before.nanoseconds) / Double(before.loops)
        }
        window.removeAll(keepingCapacity: true)
        reference.removeAll(keepingCapacity: true)
        let gain = active > settled ? Self.requiredGainWithMore : Self.requiredGainWithFewer
        if referenceTime > 0, trialTime <= (1 - gain) * referenceTime {
            settled = active
            backoff = Self.initialBackoff
            trialAt = now + backoff
            return nil
        }
        trialAt = now + backoff
        backoff = min(backoff * 2, Self.maxBackoff)
        active = settled
        return active
    }
}
