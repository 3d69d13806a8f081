/// Lossless verification of a drafted token tree against the target's probabilities.
///
/// **Sampling** (multi-draft speculative sampling with drafts drawn without replacement, as in
/// SpecInfer — Miao et al. 2024 — and recursive rejection sampling — Jeon et al. 2024): start at
/// the root with the target's distribution `p` and the draft distribution `q` the root's children
/// were drawn from. Try the children in the order they were drawn: accept child `c` with
/// probability `min(1, p(c) / q(c))`; on rejection replace `p` by `normalize(max(p − q, 0))` and
/// remove `c` from `q` (renormalizing it). When a child is accepted, move to it and repeat with its
/// own `p` and `q`. When every child is rejected, emit a token drawn from the residual `p` and
/// stop; at an accepted node without children, emit a bonus token from its `p`.
///
/// Each rejection step is a standard speculative-sampling step with target `p` and proposal `q`,
/// whose output is exactly `p`; conditioned on rejection, the rest of the procedure emits exactly
/// the residual `normalize(max(p − q, 0))`, because the next child is distributed as `q` without the
/// rejected ones. So the emitted tokens are distributed exactly as plain sampling from the target,
/// whatever the drafter proposed (tests check this by enumeration).
///
/// **Greedy** (temperature 0): at each node take the target's argmax (ties: lower id); if a child
/// carries it, accept and move there, else emit it and stop; after an accepted leaf emit the
/// argmax as the bonus token. The output equals greedy plain decoding token for token.
public struct TreeVerifier: Sendable {
    /// Size of every probability row.
    public let vocabularySize: Int

    /// A verifier for rows of `vocabularySize` probabilities.
    public init(vocabularySize: Int) {
        self.vocabularySize = vocabularySize
    }

    /// Verifies `tree` by speculative sampling against dense target rows.
    ///
    /// - Parameters:
    ///   - tree: the draft tree with the distributions its children were drawn from.
    ///   - target: the target's probabilities at a slot (0: after the context; `i + 1`: after node
    ///     `i`), a row of `vocabularySize` non-negative weights (normalized here). Called only for
    ///     the slots the walk visits, at most `height + 1` times.
    ///   - rng: the random source for acceptance tests and the final draw.
    /// - Returns: the accepted nodes and the emitted tokens (the accepted tokens, then one more).
    /// - Throws: ``SpeculativeError/rowLengthMismatch(expected:got:)``,
    ///   ``SpeculativeError/degenerateDistribution(where:)`` and `target`'s errors.
    public func verify(
        _ tree: DraftTree, target: (_ slot: Int) throws -> [Double],
        using rng: inout some RandomNumberGenerator
    ) throws -> TreeVerification {
        try verify(tree, targetDistribution: { slot in try sparseRow(target(slot), slot: slot) }, using: &rng)
    }

    /// Verifies `tree` by speculative sampling against sparse target distributions (the support
    /// and probabilities of `p` at each visited slot), so a step costs O(support) rather than
    /// O(vocabulary) per visited slot and rejection. Same walk, same random draws and same result
    /// as ``verify(_:target:using:)`` given the same probabilities.
    ///
    /// - Throws: ``SpeculativeError/degenerateDistribution(where:)`` for an empty target and
    ///   `target`'s errors.
    public func verify(
        _ tree: DraftTree, targetDistribution target: (_ slot: Int) throws -> DraftDistribution,
        using rng: inout some RandomNumberGenerator
    ) throws -> TreeVerification {
        var result = TreeVerification()
        var slot = 0
        walk: while true {
            let distribution = try target(slot)
            guard !distribution.isEmpty else {
                throw SpeculativeError.degenerateDistribution(where: "target row at slot \(slot) has mass 0")
            }
            let support = distribution.tokens
            var p = distribution.probabilities
            let children = tree.children(ofSlot: slot)
            if let q = tree.distribution(atSlot: slot), !children.isEmpty {
                var qRemaining = q.probabilities
                var remainingMass = qRemaining.reduce(0, +)
                for child in children {
                    let token = tree.tokens[child]
                    guard let qi = q.index(of: token) else { continue }
                    let qc = qRemaining[qi] / max(remainingMass, qRemaining[qi])
                    let u = Double.random(in: 0..<1, using: &rng)
                    let pc = distribution.index(of: token).map { p[$0] } ?? 0
                    if u * qc < pc {
                        result.acceptedNodes.append(child)
                        result.tokens.append(token)
                        slot = DraftTree.slot(after: child)
                        continue walk
                    }
                    subtractResidual(&p, support: support, q: q, qRemaining: qRemaining, remainingMass: remainingMass)
                    remainingMass -= qRemaining[qi]
                    qRemaining[qi] = 0
                }
            }
            result.tokens.append(sample(p, support: support, using: &rng))
            return result
        }
    }

    /// Verifies `tree` greedily: follows the target's argmax as long as a child carries it.
    ///
    /// - Parameter target: as in ``verify(_:target:using:)``; only the argmax matters.
    public func verifyGreedy(_ tree: DraftTree, target: (_ slot: Int) throws -> [Double]) throws -> TreeVerification {
        try verifyGreedy(tree, targetDistribution: { slot in try sparseRow(target(slot), slot: slot) })
    }

    /// Verifies `tree` greedily against sparse target distributions (the argmax is the most
    /// probable token of the support, ties: lower id).
    ///
    /// - Throws: ``SpeculativeError/degenerateDistribution(where:)`` for an empty target and
    ///   `target`'s errors.
    public func verifyGreedy(
        _ tree: DraftTree, targetDistribution target: (_ slot: Int) throws -> DraftDistribution
    ) throws -> TreeVerification {
        var result = TreeVerification()
        var slot = 0
        while true {
            let distribution = try target(slot)
            guard let first = distribution.probabilities.indices.first else {
                throw SpeculativeError.degenerateDistribution(where: "target row at slot \(slot) has mass 0")
            }
            var bestIndex = first
            for i in distribution.probabilities.indices where distribution.probabilities[i] > distribution.probabilities[bestIndex] {
                bestIndex = i
            }
            let best = distribution.tokens[bestIndex]
            guard let child = tree.children(ofSlot: slot).first(where: { tree.tokens[$0] == best }) else {
                result.tokens.append(best)
                return result
            }
            result.acceptedNodes.append(child)
            result.tokens.append(best)
            slot = DraftTree.slot(after: child)
        }
    }

    /// A dense row of weights as a sparse normalized distribution, checked.
    private func sparseRow(_ row: [Double], slot: Int) throws -> DraftDistribution {
        guard row.count == vocabularySize else {
            throw SpeculativeError.rowLengthMismatch(expected: vocabularySize, got: row.count)
        }
        var total = 0.0
        for w in row {
            guard w.isFinite, w >= 0 else {
                throw SpeculativeError.degenerateDistribution(where: "target weight \(w) at slot \(slot)")
            }
            total += w
        }
        guard total > 0, total.isFinite else {
            throw SpeculativeError.degenerateDistribution(where: "target row at slot \(slot) has mass \(total)")
        }
        var tokens: [Int] = []
        var probabilities: [Double] = []
        for (token, w) in row.enumerated() where w > 0 {
            tokens.append(token)
            probabilities.append(total == 1 ? w : w / total)
        }
        return DraftDistribution(uncheckedTokens: tokens, probabilities: probabilities)
    }

    /// `p ← normalize(max(p − q', 0))` over `p`'s support, with `q'` the remaining draft mass
    /// renormalized (outside `p`'s support the residual is 0 anyway). If rounding leaves no mass
    /// (impossible in exact arithmetic after a rejection), `p` is kept.
    private func subtractResidual(_ p: inout [Double], support: [Int], q: DraftDistribution, qRemaining: [Double],
                                  remainingMass: Double) {
        guard remainingMass > 0 else { return }
        var residual = p
        var total = 0.0
        for (i, token) in support.enumerated() {
            if let qi = q.index(of: token), qRemaining[qi] > 0 {
                residual[i] = max(residual[i] - qRemaining[qi] / remainingMass, 0)
            }
            total += residual[i]
        }
        guard total > 0, total.isFinite else { return }
        for i in residual.indices { residual[i] /= total }
        p = residual
    }

    /// Inverse-CDF draw over the support, in increasing id order.
    private func sample(_ p: [Double], support: [Int], using rng: inout some RandomNumberGenerator) -> Int {
        let u = Double.random(in: 0..<1, using: &rng)
        var cumulative = 0.0
        var last = support[0]
        for (i, w) in p.enumerated() where w > 0 {
            cumulative += w
            last = support[i]
            if u < cumulative { return last }
        }
        return last
    }
}

/// The outcome of verifying one draft tree.
public struct TreeVerification: Sendable, Hashable {
    /// The accepted nodes, root to deepest.
    public var acceptedNodes: [Int] = []
    /// The tokens to emit: the accepted nodes' tokens, then the corrected or bonus token.
    public var tokens: [Int] = []

    /// Creates an empty outcome.
    public init() {}
}
