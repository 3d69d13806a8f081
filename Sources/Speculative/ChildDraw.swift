import Foundation

/// The order in which one position's children are drawn from its draft distribution without
/// replacement.
///
/// Stochastic drafting uses Gumbel-top-k: every candidate gets the key `log q(t) + G_t` with
/// independent standard Gumbel noise `G_t`, and the children are revealed in decreasing key
/// order. The first `k` revealed are distributed exactly as `k` sequential draws without
/// replacement from `q` (Kool, van Hoof & Welling 2019, "Stochastic Beams and Where to Find
/// Them"), and — what lossless verification needs — given the first `j` revealed, the next one is
/// distributed as `q` with those `j` removed and renormalized, whatever was decided in between.
/// Greedy drafting reveals candidates in decreasing `q` (ties: lower id first).
///
/// Reveals are lazy: each ``next()`` is one O(n) scan, so drawing a few children from a dense
/// 49 152-token row costs a few scans, not a sort.
struct ChildDraw {
    private var keys: [Double]
    private let distribution: DraftDistribution
    private let greedy: Bool
    private(set) var drawnMass = 0.0
    private(set) var drawnCount = 0

    /// Prepares a greedy draw: candidates in decreasing `q`, ties by lower id.
    init(greedy distribution: DraftDistribution) {
        self.distribution = distribution
        self.greedy = true
        keys = distribution.probabilities
    }

    /// Prepares a random draw without replacement (Gumbel-top-k keys from `rng`).
    init(sampling distribution: DraftDistribution, using rng: inout some RandomNumberGenerator) {
        self.distribution = distribution
        self.greedy = false
        var keys = [Double](repeating: 0, count: distribution.tokens.count)
        for i in keys.indices {
            // u in (0, 1): -log(-log u) needs u > 0.
            let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &rng)
            keys[i] = log(distribution.probabilities[i]) - log(-log(u))
        }
        self.keys = keys
    }

    /// Probability mass not yet drawn (`1 − Σ q` of the drawn children).
    var remainingMass: Double { max(0, 1 - drawnMass) }

    /// The weight of the next child's slot in DySpec's heap: for random draws the remaining mass
    /// (the chance, under the paper's `p ≈ q` assumption, that the target's token is among the
    /// undrawn ones); for greedy draws the next child is known, so its own probability. O(n).
    var nextSlotWeight: Double {
        guard greedy else { return remainingMass }
        return keys.max().map { max(0, $0) } ?? 0
    }

    /// Whether every token of the support has been drawn.
    var isExhausted: Bool { drawnCount >= distribution.tokens.count }

    /// Reveals the next child: its token and draft probability `q(token)`, or nil when exhausted.
    mutating func next() -> (token: Int, probability: Double)? {
        guard !isExhausted else { return nil }
        var best = -1
        var bestKey = -Double.infinity
        for i in keys.indices where keys[i] > bestKey {
            best = i
            bestKey = keys[i]
        }
        guard best >= 0 else { return nil }
        keys[best] = -.infinity
        drawnCount += 1
        let q = distribution.probabilities[best]
        drawnMass += q
        return (distribution.tokens[best], q)
    }
}
