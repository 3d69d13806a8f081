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

    /// Verifies `tree` by speculative sampling.
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
        var result = TreeVerification()
        var slot = 0
        walk: while true {
            var p = try normalizedRow(target(slot), slot: slot)
            let children = tree.children(ofSlot: slot)
            if let q = tree.distribution(atSlot: slot), !children.isEmpty {
                var qRemaining = q.probabilities
                var remainingMass = qRemaining.reduce(0, +)
                for child in children {
                    let token = tree.tokens[child]
                    guard let qi = q.index(of: token) else { continue }
                    let qc = qRemaining[qi] / max(remainingMass, qRemaining[qi])
                    let u = Double.random(in: 0..<1, using: &rng)
                    if u * qc < p[token] {
                        result.acceptedNodes.append(child)
                        result.tokens.append(token)
                        slot = DraftTree.slot(after: child)
                        continue walk
                    }
                    subtractResidual(&p, q: q, qRemaining: qRemaining, remainingMass: remainingMass)
                    remainingMass -= qRemaining[qi]
                    qRemaining[qi] = 0
                }
            }
            result.tokens.append(sample(p, using: &rng))
            return result
        }
    }

    /// Verifies `tree` greedily: follows the target's argmax as long as a child carries it.
    ///
    /// - Parameter target: as in ``verify(_:target:using:)``; only the argmax matters.
    public func verifyGreedy(_ tree: DraftTree, target: (_ slot: Int) throws -> [Double]) throws -> TreeVerification {
        var result = TreeVerification()
        var slot = 0
        while true {
            let row = try target(slot)
            guard row.count == vocabularySize else {
                throw SpeculativeError.rowLengthMismatch(expected: vocabularySize, got: row.count)
            }
            var best = 0
            for i in row.indices where row[i] > row[best] { best = i }
            guard let child = tree.children(ofSlot: slot).first(where: { tree.tokens[$0] == best }) else {
                result.tokens.append(best)
                return result
            }
            result.acceptedNodes.append(child)
            result.tokens.append(best)
            slot = DraftTree.slot(after: child)
        }
    }

    private func normalizedRow(_ row: [Double], slot: Int) throws -> [Double] {
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
        return total == 1 ? row : row.map { $0 / total }
    }

    /// `p ← normalize(max(p − q', 0))` with `q'` the remaining draft mass renormalized. If
    /// rounding leaves no mass (impossible in exact arithmetic after a rejection), `p` is kept.
    private func subtractResidual(_ p: inout [Double], q: DraftDistribution, qRemaining: [Double], remainingMass: Double) {
        guard remainingMass > 0 else { return }
        var residual = p
        for (i, token) in q.tokens.enumerated() where qRemaining[i] > 0 {
            residual[token] = max(residual[token] - qRemaining[i] / remainingMass, 0)
        }
        let total = residual.reduce(0, +)
        guard total > 0, total.isFinite else { return }
        for i in residual.indices { residual[i] /= total }
        p = residual
    }

    private func sample(_ p: [Double], using rng: inout some RandomNumberGenerator) -> Int {
        let u = Double.random(in: 0..<1, using: &rng)
        var cumulative = 0.0
        var last = 0
        for (token, w) in p.enumerated() where w > 0 {
            cumulative += w
            last = token
            if u < cumulative { return token }
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
