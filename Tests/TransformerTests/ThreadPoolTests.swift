import Foundation
import GGUF
import Synchronization
import Testing
import Transformer

/// The pool runs every index exactly once, names threads within range, survives many
/// back-to-back loops (the pattern of a forward pass) and sleeping between them, caps its
/// threads at the cores, and gives up a worker that only slows its loops down; a model's logits
/// are the same bits on any number of threads.
struct ThreadPoolTests {
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    @Test(arguments: [1, 2, 4])
    func everyIndexRunsOnce(threads: Int) {
        let pool = ThreadPool(threads: threads)
        #expect(pool.threads == min(threads, Self.cores))
        // 70 000 is more than one published loop holds (65 535 indices).
        for count in [0, 1, 2, 7, 100, 1000, 70_000] {
            // One slot per index: each index writes only its own slot.
            let hits = UnsafeMutablePointer<Int>.allocate(capacity: max(count, 1))
            hits.initialize(repeating: 0, count: max(count, 1))
            defer { hits.deallocate() }
            let badThread = Atomic<Bool>(false)
            pool.parallelFor(count) { index, thread in
                hits[index] += 1
                if thread < 0 || thread >= pool.threads { badThread.store(true, ordering: .relaxed) }
            }
            #expect((0..<count).allSatisfy { hits[$0] == 1 }, "count \(count)")
            let sawBadThread = badThread.load(ordering: .relaxed)
            #expect(!sawBadThread)
        }
    }

    @Test func manyShortLoopsAndPauses() throws {
        let pool = ThreadPool(threads: 3)
        let total = Atomic<Int>(0)
        for round in 0..<2_000 {
            pool.parallelFor(5) { index, _ in total.add(index, ordering: .relaxed) }
            if round % 500 == 0 { usleep(20_000) }  // long enough for workers to go to sleep
        }
        let sum = total.load(ordering: .relaxed)
        #expect(sum == 2_000 * 10)
    }

    @Test func threadsAreCappedAtTheCores() {
        let pool = ThreadPool(threads: 1000, competingThreads: { _ in 0 })
        #expect(pool.threads == Self.cores)
        #expect(pool.activeThreads == Self.cores)
    }

    /// A stand-in for a worker the scheduler keeps off its core: an index a worker runs takes a
    /// millisecond, one the caller runs 50 µs, so a loop of eight is faster on the caller alone.
    /// The pool must try one thread and keep it: a probe lasts one window of 512 loops, and a
    /// kept one at least one more, so 520 loops in a row on one thread mean the probe was kept.
    /// Every index still runs once meanwhile.
    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2))
    func aWorkerThatOnlySlowsLoopsDownIsGivenUp() {
        let pool = ThreadPool(threads: 2)
        let total = Atomic<Int>(0)
        var loops = 0, loopsOnOneThread = 0
        while loopsOnOneThread < 520, loops < 20_000 {
            loopsOnOneThread = pool.activeThreads == 1 ? loopsOnOneThread + 1 : 0
            pool.parallelFor(8) { index, thread in
                usleep(thread == 0 ? 50 : 1_000)
                total.add(index, ordering: .relaxed)
            }
            loops += 1
        }
        #expect(loopsOnOneThread == 520)
        let sum = total.load(ordering: .relaxed)
        #expect(sum == loops * 28)
    }

    /// The run queue decides whether a trial on more threads is worth making: once the pool has
    /// given up the slow worker and settled on one thread, it asks how many threads other
    /// processes run before a trial on two; told a core is busy it never tries two threads
    /// again, told the cores are free it does. Only a rise after that question counts (a trial on
    /// one thread that loses under a loaded machine goes back to two without asking, which is
    /// not a trial on more). Each pool runs the slow-worker loops until three seconds after the
    /// first question, long enough for several windows however slowly they pass.
    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount == 2), arguments: [0, 1])
    func triesMoreThreadsOnlyWhenACoreIsFree(competing: Int) {
        let askedOnOne = AskedFlag()
        let pool = ThreadPool(threads: 2, competingThreads: { ours in
            if ours == 1 { askedOnOne.value.store(true, ordering: .relaxed) }
            return competing
        })
        var askedSince: Date?, triedTwoAgain = false
        let giveUp = Date().addingTimeInterval(30)
        while Date() < giveUp, !triedTwoAgain {
            if askedOnOne.value.load(ordering: .relaxed) {
                askedSince = askedSince ?? Date()
                if pool.activeThreads == 2 { triedTwoAgain = true }
            }
            if let since = askedSince, Date().timeIntervalSince(since) > 3 { break }
            pool.parallelFor(8) { _, thread in usleep(thread == 0 ? 50 : 1_000) }
        }
        #expect(askedSince != nil)
        #expect(triedTwoAgain == (competing == 0))
    }

    @Test func runQueueFromLoadavg() {
        #expect(SystemLoad.competingThreads(loadavg: "0.52 0.58 0.59 3/467 12345\n", ours: 1) == 2)
        #expect(SystemLoad.competingThreads(loadavg: "0.52 0.58 0.59 1/467 12345\n", ours: 2) == 0)
        #expect(SystemLoad.competingThreads(loadavg: "0.52 0.58", ours: 1) == nil)
        #expect(SystemLoad.competingThreads(loadavg: "0.52 0.58 0.59 x/467 1", ours: 1) == nil)
        #if os(Linux)
        #expect(SystemLoad.competingThreads(ours: 1) != nil)
        #endif
    }

    /// Batch invariance across thread counts: the work split changes, the arithmetic does not.
    @Test(.enabled(if: DefaultModel.modelTestsEnabled && ProcessInfo.processInfo.activeProcessorCount >= 2))
    func logitsAreTheSameBitsOnOneAndTwoThreads() throws {
        let url = try #require(DefaultModel.locate())
        let prompt = [504, 3458, 282, 4649, 314, 7042, 30, 216]
        var logits: [[Float]] = []
        for threads in [1, 2] {
            // A pool that sees idle cores runs on all its threads, whatever the machine's load.
            let pool = ThreadPool(threads: threads, competingThreads: { _ in 0 })
            #expect(pool.activeThreads == threads)
            let model = try LlamaModel(file: GGUFFile(contentsOf: url), threads: threads, pool: pool)
            #expect(model.threadCount == threads)
            let session = try model.makeSession(prompt: prompt)
            try session.append([28])
            logits.append(session.logits)
        }
        #expect(logits[0] == logits[1])
    }
}

/// Whether the governor asked for the run queue while on one thread (shared with its closure).
private final class AskedFlag: Sendable {
    let value = Atomic<Bool>(false)
}
