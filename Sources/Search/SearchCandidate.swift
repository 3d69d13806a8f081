import Decoding

/// One continuation a search produced: its tokens, text, the model's log-probability of each
/// token, and the score the search ranked it by.
public struct SearchCandidate: Sendable, Hashable {
    /// The generated tokens (after the prompt).
    public var tokens: [Int]
    /// The tokens' text (empty when the search has no decoder).
    public var text: String
    /// `log p(token | prefix)` of each token under the unprocessed model distribution.
    public var logProbabilities: [Double]
    /// Whether the candidate ended (a stop token or stop string, or the token limit) rather
    /// than being cut by the search's budget.
    public var isFinished: Bool
    /// The score the search ranked the candidate by (the verifier's, or its beam score).
    public var score: Double

    /// A candidate.
    public init(tokens: [Int], text: String, logProbabilities: [Double], isFinished: Bool, score: Double) {
        self.tokens = tokens
        self.text = text
        self.logProbabilities = logProbabilities
        self.isFinished = isFinished
        self.score = score
    }

    /// Sum of the token log-probabilities: `log p(tokens | prompt)`.
    public var logProbability: Double { logProbabilities.reduce(0, +) }

    /// Mean token log-probability (0 for no tokens).
    public var meanLogProbability: Double {
        logProbabilities.isEmpty ? 0 : logProbability / Double(logProbabilities.count)
    }
}

/// Everything the last search step considered: every candidate with its score, which one was
/// committed, and what the search cost.
public struct SearchResult: Sendable, Hashable {
    /// The final candidates (after merging duplicates), in the search's order.
    public var candidates: [SearchCandidate]
    /// Index into ``candidates`` of the committed one.
    public var chosen: Int
    /// Model calls, tokens evaluated, candidates considered (`branchesTried`).
    public var statistics: StepStatistics

    /// A result.
    public init(candidates: [SearchCandidate], chosen: Int, statistics: StepStatistics) {
        self.candidates = candidates
        self.chosen = chosen
        self.statistics = statistics
    }

    /// The committed candidate.
    public var best: SearchCandidate { candidates[chosen] }
}

/// A ``DecodingStrategy`` that searches over several candidates and exposes them.
///
/// One ``DecodingStrategy/step(_:context:)`` runs a whole search within the step's token
/// limit and emits the chosen continuation; ``lastResult`` then holds every candidate.
public protocol SearchStrategy: DecodingStrategy {
    /// The candidates of the last step, with their scores and the search's cost.
    var lastResult: SearchResult? { get }
}
