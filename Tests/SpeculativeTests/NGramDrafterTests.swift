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
        // Same distributions; only the confidence differs (the incremental one graded itself).
        #expect(try incremental.draftDistributions(after: paths).map(\.tokens) == fresh.draftDistributions(after: paths).map(\.tokens))
        #expect(try incremental.draftDistributions(after: paths).map(\.probabilities)
            == fresh.draftDistributions(after: paths).map(\.probabilities))
        // A context that is not an extension rebuilds the index.
        let diverged = Array(context.prefix(100)) + [5, 5, 5]
        try incremental.synchronize(context: diverged)
        let reference = try NGramDrafter(minimumOrder: 1, maximumOrder: 4)
        try reference.synchronize(context: diverged)
        #expect(try incremental.draftDistributions(after: paths).map(\.probabilities)
            == reference.draftDistributions(after: paths).map(\.probabilities))
    }

    @Test("grades itself per longest matched order on appended tokens; confidence scales values only")
    func confidence() throws {
        let drafter = try NGramDrafter(minimumOrder: 1, maximumOrder: 3)
        try drafter.synchronize(context: [1, 2, 3, 4])
        #expect(drafter.confidence(matchedOrder: 1) == NGramDrafter.priorConfidence, "the prompt is not graded")
        // 1: "4" never occurred before (no match, not graded). 2: "1" matched once (order 1) and
        // was followed by 2: a hit. 5: "1 2" matched (order 2), followed by 3: a miss.
        try drafter.synchronize(context: [1, 2, 3, 4, 1])
        try drafter.synchronize(context: [1, 2, 3, 4, 1, 2, 5])
        #expect(drafter.confidence(matchedOrder: 1) == 1.5 / 2)
        #expect(drafter.confidence(matchedOrder: 2) == 0.5 / 2)
        #expect(drafter.confidence(matchedOrder: 3) == 0.5, "no evidence: the prior")
        #expect(drafter.confidence(matchedOrder: 9) == drafter.confidence(matchedOrder: 3), "orders above the maximum count as the maximum")
        #expect(drafter.confidence(matchedOrder: 0) == 0)
        // 1 (after "5": no match), 2 (after "1", order 1: continuations 2 and 2: a hit).
        try drafter.synchronize(context: [1, 2, 3, 4, 1, 2, 5, 1, 2])
        #expect(drafter.confidence(matchedOrder: 1) == 2.5 / 3)
        // After "... 1 2" the longest match has order 2 (→ 3, → 5): the distribution carries its confidence.
        let q = try #require(drafter.draftDistributions(after: [[]]).first)
        #expect(q.tokens == [3, 5])
        #expect(q.confidence == drafter.confidence(matchedOrder: 2))
        #expect(abs(q.probabilities.reduce(0, +) - 1) < 1e-12, "still a proper distribution")
        // A context that is not an extension is followed without grading.
        try drafter.synchronize(context: [7, 7, 7, 7])
        #expect(drafter.confidence(matchedOrder: 3) == 0.5)
        #expect(drafter.confidence(matchedOrder: 1) == 2.5 / 3)
    }

    @Test("a confidence outside 0...1 is a typed error", arguments: [-0.1, 1.5, Double.nan])
    func badConfidence(value: Double) throws {
        let q = try DraftDistribution(dense: [0.5, 0.5])
        #expect(throws: SpeculativeError.self) { try q.withConfidence(value) }
        #expect(try q.withConfidence(0.25).probabilities == q.probabilities)
    }

    @Test("bad orders and backoff are typed errors")
    func badParameters() {
        #expect(throws: SpeculativeError.invalidNGramOrder(minimum: 0, maximum: 2, limit: 64)) { try NGramDrafter(minimumOrder: 0, maximumOrder: 2) }
        #expect(throws: SpeculativeError.invalidNGramOrder(minimum: 1, maximum: 65, limit: 64)) { try NGramDrafter(minimumOrder: 1, maximumOrder: 65) }
        #expect(throws: SpeculativeError.invalidParameter(name: "backoff", value: 0)) { try NGramDrafter(backoff: 0) }
        #expect(throws: SpeculativeError.invalidParameter(name: "backoff", value: 1.5)) { try NGramDrafter(backoff: 1.5) }
    }
}
