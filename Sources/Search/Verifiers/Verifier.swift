/// What a ``Verifier`` sees of one candidate.
public struct VerifierCandidate: Sendable, Hashable {
    /// The prompt the candidate continues (token ids of the policy model).
    public var prompt: [Int]
    /// The candidate's tokens after the prompt.
    public var tokens: [Int]
    /// The candidate's text.
    public var text: String
    /// `log p(token | prefix)` of each token under the policy model.
    public var logProbabilities: [Double]
    /// Whether the candidate is finished (`false` for a partial candidate in a search).
    public var isFinished: Bool

    /// A candidate for scoring.
    public init(prompt: [Int] = [], tokens: [Int] = [], text: String, logProbabilities: [Double] = [],
                isFinished: Bool = true) {
        self.prompt = prompt
        self.tokens = tokens
        self.text = text
        self.logProbabilities = logProbabilities
        self.isFinished = isFinished
    }
}

/// Scores candidates for a search: higher is better. A verifier scores a whole batch at once
/// (an external command runs once per batch, a judge model can batch), and says whether its
/// scores of partial candidates mean anything (``scoresPartial``); a search that needs partial
/// scores falls back to the mean log-probability when they do not.
public protocol Verifier: Sendable {
    /// A short name for tables and error messages.
    var name: String { get }
    /// Whether scores of unfinished candidates are meaningful.
    var scoresPartial: Bool { get }
    /// One score per candidate, in order.
    ///
    /// - Throws: ``SearchError/verifierFailed(verifier:reason:)`` when scoring fails.
    func scores(_ candidates: [VerifierCandidate]) throws -> [Double]
}

extension Verifier {
    /// By default only finished candidates are scored meaningfully.
    public var scoresPartial: Bool { false }

    /// The score of one candidate.
    public func score(_ candidate: VerifierCandidate) throws -> Double {
        let all = try scores([candidate])
        guard let first = all.first, all.count == 1 else {
            throw SearchError.verifierFailed(verifier: name, reason: "returned \(all.count) scores for 1 candidate")
        }
        return first
    }
}

/// Mean token log-probability of the candidate under the policy model (the log-probabilities
/// the search recorded); 0 for an empty candidate. Scores partial candidates.
public struct MeanLogProbabilityVerifier: Verifier {
    /// A verifier.
    public init() {}
    /// "mean-logprob".
    public var name: String { "mean-logprob" }
    /// Partial scores are meaningful.
    public var scoresPartial: Bool { true }
    /// The mean of each candidate's token log-probabilities.
    public func scores(_ candidates: [VerifierCandidate]) -> [Double] {
        candidates.map { $0.logProbabilities.isEmpty ? 0 : $0.logProbabilities.reduce(0, +) / Double($0.logProbabilities.count) }
    }
}
