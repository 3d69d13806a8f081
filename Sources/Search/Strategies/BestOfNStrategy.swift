import Decoding

/// Best-of-N: N candidates sampled independently from the prompt (sessions sharing its cache,
/// and each other's while their tokens agree, advanced together with one `appendBatch` per
/// position), then one is chosen by the
/// verifier: the highest score, or the answer with the most votes (majority) or the largest
/// sum of scores (weighted vote), committing that answer's best-scored candidate.
///
/// Candidate `i` draws from generator stream `i` of ``SearchOptions/seed``, so best-of-1 is
/// exactly ``SamplingStrategy`` with a ``CategoricalSampler`` of the same seed.
public struct BestOfNStrategy: SearchStrategy {
    /// How the winner is chosen.
    public enum Selection: Sendable, Hashable {
        /// The highest verifier score (ties: the earlier candidate).
        case argmax
        /// The answer extracted most often; ties by summed score, then first seen.
        case majorityVote(AnswerExtraction)
        /// The answer with the largest summed verifier score (scores should be ≥ 0); ties
        /// first seen.
        case weightedVote(AnswerExtraction)
    }

    /// Number of candidates.
    public let count: Int
    /// Scores finished candidates.
    public let verifier: any Verifier
    /// The choice rule.
    public let selection: Selection
    /// Sampling, stop strings, budget.
    public let options: SearchOptions
    /// Gives the candidates their text.
    public let decoder: (any TokenDecoder)?
    /// The last step's candidates.
    public private(set) var lastResult: SearchResult?
    private var generators: [Int: Xoshiro256StarStar] = [:]

    /// A best-of-`count` search.
    ///
    /// - Throws: ``SearchError/invalidParameter(name:value:requirement:)`` for `count < 1` or
    ///   bad options, ``SearchError/invalidPattern(_:reason:)`` for a bad extraction pattern.
    public init(count: Int, verifier: any Verifier = MeanLogProbabilityVerifier(), selection: Selection = .argmax,
                options: SearchOptions = SearchOptions(), decoder: (any TokenDecoder)? = nil) throws {
        try SearchError.requirePositive(count, "candidate count N")
        try options.validate()
        switch selection {
        case .argmax: break
        case .majorityVote(let extraction), .weightedVote(let extraction): try extraction.validate()
        }
        self.count = count
        self.verifier = verifier
        self.selection = selection
        self.options = options
        self.decoder = decoder
    }

    /// Samples N candidates to their end (or the step's limit) and commits the chosen one.
    public mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        var engine = SearchEngine(options: options, context: context, decoder: decoder, prompt: session.tokens,
                                  generators: generators)
        // Every candidate starts on the session itself: candidates share a session while their
        // tokens are identical and get forks as they diverge (``SearchEngine``).
        var branches = (0..<count).map { Branch(session: session, chain: options.chain, slot: $0) }
        try engine.advanceSegment(&branches, Array(branches.indices), pick: .sample, delimiters: nil,
                                  maxLength: context.remainingTokens)
        generators = engine.generators
        let scores = try engine.score(branches, with: verifier)
        let chosen = choose(branches: branches, scores: scores)
        var statistics = engine.statistics
        statistics.branchesTried = count
        statistics.branchingSteps = count > 1 ? 1 : 0
        // Tokens shared with the chosen candidate were evaluated once, for it too.
        let kept = branches[chosen].tokens.count - (branches[chosen].lastEvaluated ? 0 : 1)
        statistics.discardedTokens = max(0, statistics.tokensEvaluated - kept)
        engine.statistics = statistics
        lastResult = SearchResult(candidates: zip(branches, scores).map { $0.candidate(score: $1) }, chosen: chosen,
                                  statistics: statistics)
        return engine.commit(branches[chosen], to: &session)
    }

    private func choose(branches: [Branch], scores: [Double]) -> Int {
        func argmax(_ indices: [Int]) -> Int {
            indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) } ?? 0
        }
        switch selection {
        case .argmax:
            return argmax(Array(scores.indices))
        case .majorityVote(let extraction), .weightedVote(let extraction):
            var groups: [String: [Int]] = [:]
            var order: [String] = []
            for (i, branch) in branches.enumerated() {
                guard let answer = extraction.extract(from: String(decoding: branch.bytes, as: UTF8.self)) else { continue }
                let key = ReferenceVerifier.normalized(answer)
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(i)
            }
            guard !order.isEmpty else { return argmax(Array(scores.indices)) }
            func total(_ key: String) -> Double { groups[key, default: []].reduce(0) { $0 + scores[$1] } }
            var best = order[0]
            for key in order.dropFirst() {
                let a = groups[key, default: []].count, b = groups[best, default: []].count
                let better: Bool
                if case .majorityVote = selection {
                    better = a > b || (a == b && total(key) > total(best))
                } else {
                    better = total(key) > total(best)
                }
                if better { best = key }
            }
            return argmax(groups[best, default: []])
        }
    }

    /// Forgets the generators' positions and the last result.
    public mutating func reset() {
        generators = [:]
        lastResult = nil
    }
}
