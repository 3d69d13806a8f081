/// The order in which one position's children are drawn from its draft distribution without
/// replacement.
///
/// Random drafting draws sequentially: each child is sampled from `q` restricted to the tokens not
/// yet drawn, renormalized (one uniform and one inverse-CDF scan per child). The ordered sample
/// has the same law as Gumbel-top-k — keys `log q(t) + G_t` sorted in decreasing order (Kool,
/// van Hoof & Welling 2019, "Stochastic Beams and Where to Find Them") — without computing two
/// logarithms per vocabulary entry, which on a 49 152-token row would cost more than the scans.
/// What lossless verification needs holds by construction: given the children drawn so far, the
/// next one is distributed as `q` without them, whatever was decided in between.
///
/// Greedy drafting reveals candidates in decreasing `q` (ties: lower id first).
///
/// - Complexity: O(n · k) per revealed child for a support of n tokens and k drawn so far (k is a
///   handful); no allocation beyond the list of drawn indices.
struct ChildDraw {
    private let distribution: DraftDistribution
    private let greedy: Bool
    /// Indices (into the distribution) already drawn, in draw order.
    private var drawn: [Int] = []
    private(set) var drawnMass = 0.0

    /// Prepares a draw from `distribution`: random without replacement, or greedy (decreasing
    /// `q`, ties by lower id).
    init(_ distribution: DraftDistribution, greedy: Bool) {
        self.distribution = distribution
        self.greedy = greedy
    }

    /// Probability mass not yet drawn (`1 − Σ q` of the drawn children).
    var remainingMass: Double { max(0, 1 - drawnMass) }

    /// Number of children drawn so far.
    var drawnCount: Int { drawn.count }

    /// Whether every token of the support has been drawn.
    var isExhausted: Bool { drawn.count >= distribution.tokens.count }

    /// The weight of the next child's slot in DySpec's heap: for random draws the remaining mass
    /// (the chance, under the paper's `p ≈ q` assumption, that the target's token is among the
    /// undrawn ones); for greedy draws the next child is known, so its own probability. O(n).
    var nextSlotWeight: Double {
        guard greedy else { return remainingMass }
        return bestUndrawn().map { distribution.probabilities[$0] } ?? 0
    }

    /// Reveals the next child: its token and draft probability `q(token)`, or nil when exhausted.
    /// `rng` is used only by random draws (it is nil when drafting greedily).
    mutating func next<R: RandomNumberGenerator>(using rng: inout R?) -> (token: Int, probability: Double)? {
        guard !isExhausted else { return nil }
        let index: Int?
        if !greedy, rng != nil {
            index = sampleUndrawn(u: Double.random(in: 0..<1, using: &rng!))
        } else {
            index = bestUndrawn()
        }
        guard let index else { return nil }
        drawn.append(index)
        let q = distribution.probabilities[index]
        drawnMass += q
        return (distribution.tokens[index], q)
    }

    private func bestUndrawn() -> Int? {
        var best: Int?
        for (i, q) in distribution.probabilities.enumerated() where !drawn.contains(i) {
            if best == nil || q > distribution.probabilities[best!] { best = i }
        }
        return best
    }

    /// Inverse CDF over the undrawn entries, with the undrawn mass summed exactly (not `1 − drawn`).
    private func sampleUndrawn(u: Double) -> Int? {
        var total = 0.0
        for (i, q) in distribution.probabilities.enumerated() where !drawn.contains(i) { total += q }
        guard total > 0 else { return nil }
        let target = u * total
        var cumulative = 0.0
        var last: Int?
        for (i, q) in distribution.probabilities.enumerated() where !drawn.contains(i) {
            cumulative += q
            last = i
            if target < cumulative { return i }
        }
        return last
    }
}
