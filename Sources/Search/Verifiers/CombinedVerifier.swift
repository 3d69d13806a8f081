/// Several verifiers combined into one score.
///
/// - ``Method/weightedSum``: `Σ wᵢ · scoreᵢ`;
/// - ``Method/rank``: each verifier's scores become ranks in `[0, 1]` over the batch (0 the
///   worst, 1 the best, ties share their mean rank), then `Σ wᵢ · rankᵢ` — scales do not matter.
public struct CombinedVerifier: Verifier {
    /// How the component scores combine.
    public enum Method: String, Sendable, Hashable {
        /// Weighted sum of the raw scores.
        case weightedSum = "sum"
        /// Weighted sum of normalized ranks.
        case rank
    }

    /// The verifiers and their weights.
    public let components: [(verifier: any Verifier, weight: Double)]
    /// The combination.
    public let method: Method

    /// A combination; needs at least one component and finite weights.
    ///
    /// - Throws: ``SearchError/invalidParameter(name:value:requirement:)``.
    public init(_ components: [(verifier: any Verifier, weight: Double)], method: Method = .weightedSum) throws {
        guard !components.isEmpty else {
            throw SearchError.invalidParameter(name: "verifier list", value: "[]", requirement: "at least one verifier")
        }
        for component in components where !component.weight.isFinite {
            throw SearchError.invalidParameter(name: "weight of \(component.verifier.name)", value: "\(component.weight)",
                                               requirement: "finite")
        }
        self.components = components
        self.method = method
    }

    /// The components' names with their weights, e.g. `0.5*exact+1*mean-logprob`.
    public var name: String {
        components.map { "\($0.weight)*\($0.verifier.name)" }.joined(separator: method == .rank ? "+rank:" : "+")
    }

    /// Partial scores are meaningful when every component's are.
    public var scoresPartial: Bool { components.allSatisfy { $0.verifier.scoresPartial } }

    /// The combined score of each candidate.
    public func scores(_ candidates: [VerifierCandidate]) throws -> [Double] {
        var total = [Double](repeating: 0, count: candidates.count)
        for (verifier, weight) in components {
            var scores = try verifier.scores(candidates)
            guard scores.count == candidates.count else {
                throw SearchError.verifierFailed(verifier: verifier.name,
                                                 reason: "returned \(scores.count) scores for \(candidates.count) candidates")
            }
            if method == .rank { scores = CombinedVerifier.ranks(scores) }
            for i in total.indices { total[i] += weight * scores[i] }
        }
        return total
    }

    /// Normalized ranks: 0 for the lowest score, 1 for the highest, ties averaged; all 1 for
    /// one candidate.
    public static func ranks(_ scores: [Double]) -> [Double] {
        guard scores.count > 1 else { return scores.map { _ in 1 } }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let mean = Double(start + end) / 2
            for position in start...end { ranks[order[position]] = mean / Double(scores.count - 1) }
            start = end + 1
        }
        return ranks
    }
}
