import Synchronization
import Foundation
import Testing
import Transformer

/// The pool runs every index exactly once, names threads within range, survives many
/// back-to-back loops (the pattern of a forward pass) and sleeping between them, and caps its
/// threads at the cores.
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
        let pool = ThreadPool(threads: 1000)
        #expect(pool.threads == Self.cores)
    }
}
