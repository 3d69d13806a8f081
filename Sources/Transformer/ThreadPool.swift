import Foundation
import Synchronization

/// A fixed set of persistent worker threads that run data-parallel loops with low dispatch cost.
///
/// A forward pass issues a few hundred small loops per token (one per matrix product, one per
/// attention layer), so the cost of waking workers matters as much as the work. Workers spin on
/// an atomic generation counter for a short while after each loop and only then sleep on a
/// condition variable; the calling thread takes part in every loop, so `threads` counts it.
///
/// ``parallelFor(_:_:)`` is not reentrant; calls from different threads are serialized by a
/// lock. The workers stop when the pool is deinitialized.
public final class ThreadPool: @unchecked Sendable {
    /// Number of threads that run a loop, the caller included: the count asked for, capped at
    /// the cores this process may use (more threads than cores only take turns on them).
    public let threads: Int

    private let generation = Atomic<Int>(0)
    private let nextIndex = Atomic<Int>(0)
    private let unfinishedWorkers = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let condition = NSCondition()
    private let dispatchLock = NSLock()
    /// The loop being run and its length; written by the dispatching thread before the
    /// generation is published and read by workers after they observe it.
    nonisolated(unsafe) private var body: ((Int, Int) -> Void)?
    nonisolated(unsafe) private var count = 0

    /// Spins before a worker sleeps: enough to cover the gaps between the loops of one token
    /// without burning a core while the caller samples or waits for input.
    private static let spinLimit = 20_000

    /// Starts `min(threads, cores) - 1` workers (at least one thread in all; default: every core).
    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.threads = max(1, min(threads, ProcessInfo.processInfo.activeProcessorCount))
        for index in 1..<self.threads {
            let worker = Thread { [unowned(unsafe) self] in self.workerLoop(thread: index) }
            worker.stackSize = 1 << 20
            worker.start()
        }
    }

    deinit {
        stopping.store(true, ordering: .sequentiallyConsistent)
        condition.lock()
        generation.add(1, ordering: .sequentiallyConsistent)
        condition.broadcast()
        condition.unlock()
        // Workers hold `unowned(unsafe)` references: wait until each has seen the stop.
        while unfinishedWorkers.load(ordering: .acquiring) > -(threads - 1) { sched_yield() }
    }

    /// Calls `body(i, thread)` for every `i` in `0..<count`, spread over the pool's threads, and
    /// returns when all calls have finished. Each index runs exactly once, in no particular order;
    /// `thread` (in `0..<threads`, 0 for the caller) names the thread running it, so a body can
    /// use per-thread scratch space.
    ///
    /// - Complexity: one atomic increment per index plus one wake-up of the workers.
    public func parallelFor(_ count: Int, _ body: (_ index: Int, _ thread: Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || threads == 1 {
            for i in 0..<count { body(i, 0) }
            return
        }
        dispatchLock.lock()
        defer { dispatchLock.unlock() }
        withoutActuallyEscaping(body) { escaping in
            self.body = escaping
            self.count = count
            nextIndex.store(0, ordering: .sequentiallyConsistent)
            unfinishedWorkers.store(threads - 1, ordering: .sequentiallyConsistent)
            // Publish first, then look for sleepers: a worker registers as a sleeper before it
            // re-reads the generation, so one of the two sides always sees the other.
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                condition.lock()
                condition.broadcast()
                condition.unlock()
            }
            runIndices(escaping, count: count, thread: 0)
            var spins = 0
            while unfinishedWorkers.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > 2_000 { sched_yield() }
            }
            self.body = nil
        }
    }

    private func runIndices(_ body: (Int, Int) -> Void, count: Int, thread: Int) {
        while true {
            let i = nextIndex.add(1, ordering: .relaxed).oldValue
            if i >= count { return }
            body(i, thread)
        }
    }

    private func workerLoop(thread: Int) {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < Self.spinLimit { continue }
                condition.lock()
                sleepers.add(1, ordering: .sequentiallyConsistent)
                while generation.load(ordering: .sequentiallyConsistent) == seen { condition.wait() }
                sleepers.subtract(1, ordering: .sequentiallyConsistent)
                condition.unlock()
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) {
                unfinishedWorkers.subtract(1, ordering: .releasing)
                return
            }
            if let body { runIndices(body, count: count, thread: thread) }
            unfinishedWorkers.subtract(1, ordering: .releasing)
        }
    }
}
