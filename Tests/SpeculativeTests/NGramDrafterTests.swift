import Decoding
import Speculative
import Testing

/// Prompt lookup with probabilities.
struct NGramDrafterTests {
    @Test("interpolates the continuation counts of every matched order")
    func interpolation() throws {
        let drafter = try NGramDrafter(minimumOrder: 1, maximumOrder: 3, backoff: 0.3)
        // Suffix "1 2": order 2 matched once (→ 3); order 1 "2" matched twice (→ 3, → 4).
        try drafter.synchronize(context: [1, 2, 3, 9, 2, 4, 1, 2])
        let q = try #require(drafter.draftDistributions(after: [[]]).first)
        #expect(q.tokens == [3, 4])
        #expect(abs(q.probability(of: 3) - 1.15 / 1.3) < 1e-12)
        #expect(abs(q.probability(of: 4) - 0.15 / 1.3) < 1e-12)
    }

    @Test("draft paths extend the suffix; no match gives an empty distribution")
    func paths() throws {
        let drafter = try NGramDrafter(minimumOrder: 1, maximumOrder: 3)
        try drafter.synchronize(context: [1, 2, 3, 9, 2, 4])
        let results = try drafter.draftDistributions(after: [[1, 2], [7], []])
        #expect(abs(results[0].probability(of: 3) - 1.15 / 1.3) < 1e-12)
        #expect(results[1].isEmpty)
        #expect(results[2].isEmpty, "4 never occurred before")
        let minimumTwo = try NGramDrafter(minimumOrder: 2, maximumOrder: 3)
        try minimumTwo.synchronize(context: [5, 6, 5, 7, 6])
        #expect(try minimumTwo.draftDistributions(after: [[]])[0].isEmpty, "\"7 6\" never occurred before")
    }

    @Test("incremental synchronization equals a fresh index, also after divergence")
    func synchronization() throws {
        var rng = SplitMix64(seed: 9)
        let context = (0..<300).map { _ in Int(rng.next() % 6) }
        let incremental = try NGramDrafter(minimumOrder: 1, maximumOrder: 4)
        for end in stride(from: 10, through: 300, by: 7) { try incremental.synchronize(context: Array(context.prefix(end))) }
        try incremental.synchronize(context: context)
        let fresh = try NGramDrafter(minimumOrder: 1, maximumOrder: 4)
        try fresh.synchronize(context: context)
        let paths = [[], [1], [2, 3], [0, 0, 5]]
        #expect(try incremental.draftDistributions(after: paths) == fresh.draftDistributions(after: paths))
        // A context that is not an extension rebuilds the index.
        let diverged = Array(context.prefix(100)) + [5, 5, 5]
        try incremental.synchronize(context: diverged)
        let reference = try NGramDrafter(minimumOrder: 1, maximumOrder: 4)
        try reference.synchronize(context: diverged)
        #expect(try incremental.draftDistributions(after: paths) == reference.draftDistributions(after: paths))
    }

    @Test("bad orders and backoff are typed errors")
    func badParameters() {
        #expect(throws: SpeculativeError.invalidNGramOrder(minimum: 0, maximum: 2, limit: 64)) { try NGramDrafter(minimumOrder: 0, maximumOrder: 2) }
        #expect(throws: SpeculativeError.invalidNGramOrder(minimum: 1, maximum: 65, limit: 64)) { try NGramDrafter(minimumOrder: 1, maximumOrder: 65) }
        #expect(throws: SpeculativeError.invalidParameter(name: "backoff", value: 0)) { try NGramDrafter(backoff: 0) }
        #expect(throws: SpeculativeError.invalidParameter(name: "backoff", value: 1.5)) { try NGramDrafter(backoff: 1.5) }
    }
}
