import Decoding

/// A drafter whose proposals are pruned by the restricting stages of a processor chain (a
/// constraint): each draft distribution `q` keeps only the tokens the chain admits after the
/// path they would follow, renormalized, so the target never evaluates a token the constraint
/// rejects. The pruned `q` is the distribution the children are drawn from and verified
/// against, so decoding stays lossless (any draft distribution is).
///
/// Nothing is drafted below a stop token: generation ends there, and a constraint has no state
/// after it.
///
/// A large support (a model drafter without truncation) is pruned among its
/// ``maximumChecks`` most probable tokens only: the rest are dropped from `q`, which again only
/// changes acceptance, never the output distribution.
final class AdmittingDrafter: Drafter {
    /// The drafter whose proposals are pruned.
    let base: any Drafter
    /// The restricting stages (``Decoding/LogitProcessorChain/restrictingStages``).
    private var admission: LogitProcessorChain
    /// Tokens that end generation (nothing is drafted after them).
    let stopTokens: Set<Int>
    /// The most tokens of one distribution tested.
    let maximumChecks: Int
    private var context: [Int] = []

    init(base: any Drafter, admission: LogitProcessorChain, stopTokens: Set<Int>, maximumChecks: Int = 64) {
        self.base = base
        self.admission = admission
        self.stopTokens = stopTokens
        self.maximumChecks = maximumChecks
    }

    var vocabularySize: Int? { base.vocabularySize }

    var costPerDraftToken: Double { base.costPerDraftToken }

    func synchronize(context: [Int]) throws {
        self.context = context
        try base.synchronize(context: context)
    }

    /// The base drafter's distributions restricted to the admitted tokens (an empty one where
    /// none is admitted or the path ends in a stop token: the tree stops growing there).
    func draftDistributions(after paths: [[Int]]) throws -> [DraftDistribution] {
        let distributions = try base.draftDistributions(after: paths)
        return try zip(paths, distributions).map { path, q in
            if let last = path.last, stopTokens.contains(last) { return .empty }
            return try prune(q, after: context + path)
        }
    }

    private func prune(_ q: DraftDistribution, after history: [Int]) throws -> DraftDistribution {
        guard !q.tokens.isEmpty else { return q }
        var order = Array(q.tokens.indices)
        if order.count > maximumChecks {
            order.sort { q.probabilities[$0] > q.probabilities[$1] }
            order.removeLast(order.count - maximumChecks)
            order.sort()
        }
        var tokens: [Int] = []
        var weights: [Double] = []
        for index in order where try admission.admits(q.tokens[index], after: history) {
            tokens.append(q.tokens[index])
            weights.append(q.probabilities[index])
        }
        let total = weights.reduce(0, +)
        guard total > 0 else { return .empty }
        return try DraftDistribution(uncheckedTokens: tokens, probabilities: weights.map { $0 / total })
            .withConfidence(q.confidence)
    }
}
