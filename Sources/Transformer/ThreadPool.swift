import Foundation
import Synchronization

/// A fixed set of persistent worker threads that run data-parallel loops with low dispatch cost,
/// and that stop waiting for threads the operating system keeps off the cores.
///
/// A forward pass issues a few hundred small loops per token (one per matrix product, one per
/// attention layer), so the cost of waking workers matters as much as the work. Workers spin on
/// the loop ticket for a short while after each loop and only then sleep on a condition
/// variable; the calling thread takes part in every loop, so `threads` counts it.
///
/// Indices are claimed one at a time from a ticket that names the loop, and a loop ends when
/// every index has *finished*, not when every worker has checked in: a worker that has not
/// woken up yet (descheduled by a competing process) claims nothing and delays nobody. What is
/// left is the worker descheduled while it holds an index. To bound that, the pool times its
/// loops and now and then runs a window of them on one thread fewer or one more, keeping the
/// count that ran the same loops faster (``activeThreads``; the policy is `ThreadGovernor`'s).
/// Which thread runs an index never changes what the index computes, so results are the same
/// bits with any number of threads.
///
/// ``parallelFor(_:_:)`` is not reentrant; calls from different threads are serialized by a
/// lock. The workers stop when the pool is deinitialized.
public final class ThreadPool: @unchecked Sendable {
    /// Number of threads that can run a loop, the caller included: the count asked for, capped
    /// at the cores this process may use (more threads than cores only take turns on them).
    public let threads: Int

    /// Number of threads the next loop runs on, the caller included (`1...threads`): lower than
    /// ``threads`` while fewer threads have been measured to run the loops faster (when other
    /// processes keep this one's workers waiting for a core).
    public var activeThreads: Int { active.load(ordering: .relaxed) }

    /// The current loop: its id (high 32 bits), its index count (16 bits) and the next index
    /// to hand out (low 16 bits). Claiming an index is a compare-and-swap on the whole word, so
    /// a worker that wakes late can never claim an index of a later loop, or one past the end.
    private let ticket = Atomic<UInt64>(0)
    /// Indices of the current loop that have finished running.
    private let finished = Atomic<Int>(0)
    private let active: Atomic<Int>
    private let sleepers = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let exitedWorkers = Atomic<Int>(0)
    private let condition = NSCondition()
    private let dispatchLock = NSLock()
    /// The loop being run and the offset of its first index; written by the dispatching thread
    /// before the ticket is published and read by workers only after they claimed an index of it.
    nonisolated(unsafe) private var body: ((Int, Int) -> Void)?
    nonisolated(unsafe) private var base = 0
    /// Guarded by `dispatchLock`.
    nonisolated(unsafe) private var governor: ThreadGovernor

    /// Spins before a worker sleeps: enough to cover the gaps between the loops of one token
    /// without burning a core while the caller samples or waits for input.
    private static let spinLimit = 20_000
    /// Most indices one published loop holds (the ticket's 16-bit fields); longer loops run as
    /// several.
    private static let maxLoopCount = 0xFFFF

    /// Starts `min(threads, cores) - 1` workers (at least one thread in all; default: every core).
    ///
    /// - Parameter competingThreads: other processes' runnable threads given how many of the
    ///   pool's run (nil: unknown); the pool tries more threads only when they leave a core
    ///   free. Default: the system's run queue (``SystemLoad/competingThreads(ours:)``).
    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                competingThreads: @escaping @Sendable (_ ours: Int) -> Int? = SystemLoad.competingThreads) {
        self.threads = max(1, min(threads, ProcessInfo.processInfo.activeProcessorCount))
        governor = ThreadGovernor(threads: self.threads, competingThreads: competingThreads)
        active = Atomic(governor.active)
        for index in 1..<self.threads {
            let worker = Thread { [unowned(unsafe) self] in self.workerLoop(thread: index) }
            worker.stackSize = 1 << 20
            worker.start()
        }
    }

    deinit {
        stopping.store(true, ordering: .sequentiallyConsistent)
        condition.lock()
        ticket.store((ticket.load(ordering: .relaxed) &+ (1 << 32)) & ~0xFFFF_FFFF, ordering: .sequentiallyConsistent)
        condition.broadcast()
        condition.unlock()
        // Workers hold `unowned(unsafe)` references: wait until each has seen the stop.
        while exitedWorkers.load(ordering: .acquiring) < threads - 1 { sched_yield() }
    }

    /// Calls `body(i, thread)` for every `i` in `0..<count`, spread over the pool's active
    /// threads, and returns when all calls have finished. Each index runs exactly once, in no
    /// particular order; `thread` (in `0..<threads`, 0 for the caller) names the thread running
    /// it, so a body can use per-thread scratch space.
    ///
    /// - Complexity: one compare-and-swap per index plus one wake-up of the workers.
    public func parallelFor(_ count: Int, _ body: (_ index: Int, _ thread: Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || threads == 1 {
            for i in 0..<count { body(i, 0) }
            return
        }
        dispatchLock.lock()
        defer { dispatchLock.unlock() }
        let start = Self.nanoseconds()
        var waited: UInt64 = 0
        if active.load(ordering: .relaxed) == 1 {
            for i in 0..<count { body(i, 0) }
        } else {
            withoutActuallyEscaping(body) { escaping in
                var first = 0
                while first < count {
                    let length = min(count - first, Self.maxLoopCount)
                    waited += run(escaping, base: first, count: length)
                    first += length
                }
            }
        }
        let end = Self.nanoseconds()
        if let changed = governor.record(count: count, nanoseconds: end - start, waited: waited, now: end) {
            // Workers left out sleep until the count rises again: wake them.
            condition.lock()
            active.store(changed, ordering: .sequentiallyConsistent)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Publishes one loop of at most `maxLoopCount` indices, takes part in it and waits until
    /// its last index has finished; returns how long it waited (nanoseconds).
    private func run(_ body: @escaping (Int, Int) -> Void, base: Int, count: Int) -> UInt64 {
        self.body = body
        self.base = base
        finished.store(0, ordering: .sequentiallyConsistent)
        let loop = ((ticket.load(ordering: .relaxed) >> 32) &+ 1) & 0xFFFF_FFFF
        // Publish first, then look for sleepers: a worker registers as a sleeper before it
        // re-reads the ticket, so one of the two sides always sees the other.
        ticket.store(loop << 32 | UInt64(count) << 16, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }
        runIndices(loop: loop, thread: 0)
        if finished.load(ordering: .acquiring) == count {
            self.body = nil
            return 0
        }
        let waitStart = Self.nanoseconds()
        var spins = 0
        while finished.load(ordering: .acquiring) < count {
            spins += 1
            if spins > 2_000 { sched_yield() }
        }
        self.body = nil
        return Self.nanoseconds() - waitStart
    }

    /// Claims and runs indices of loop `loop` until none is left or a later loop is published.
    private func runIndices(loop: UInt64, thread: Int) {
        var current = ticket.load(ordering: .acquiring)
        while current >> 32 == loop {
            let next = Int(current & 0xFFFF), count = Int((current >> 16) & 0xFFFF)
            if next >= count { return }
            let (exchanged, original) = ticket.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged {
                // The loop cannot end before this index finishes, so `body` is still its body.
                body.unsafelyUnwrapped(base + next, thread)
                finished.add(1, ordering: .releasing)
                current = ticket.load(ordering: .acquiring)
            } else {
                current = original
            }
        }
    }

    private func workerLoop(thread: Int) {
        // Loop ids start at 1: a worker that starts late still sees the first loop, or the stop.
        var seen: UInt64 = 0
        while true {
            var spins = 0
            var loop = ticket.load(ordering: .acquiring) >> 32
            while loop == seen {
                spins += 1
                if spins >= Self.spinLimit {
                    condition.lock()
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    while ticket.load(ordering: .sequentiallyConsistent) >> 32 == seen { condition.wait() }
                    sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    condition.unlock()
                }
                loop = ticket.load(ordering: .acquiring) >> 32
            }
            seen = loop
            if stopping.load(ordering: .acquiring) { break }
            if thread >= active.load(ordering: .relaxed) {
                // Not needed for now: sleep until the pool wants more threads again.
                condition.lock()
                while thread >= active.load(ordering: .sequentiallyConsistent),
                    !stopping.load(ordering: .sequentiallyConsistent)
                {
                    condition.wait()
                }
                condition.unlock()
                seen = ticket.load(ordering: .acquiring) >> 32
                if stopping.load(ordering: .acquiring) { break }
                continue
            }
            runIndices(loop: loop, thread: thread)
        }
        exitedWorkers.add(1, ordering: .releasing)
    }

    /// A monotonic clock in nanoseconds.
    private static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
