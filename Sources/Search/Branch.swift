import Decoding

/// One candidate while a search runs: a session holding every token of the candidate (except
/// possibly a final token that ends it) — the same session object as other candidates of the
/// search that hold the same tokens, until they diverge (``SearchEngine``) — the token
/// log-probabilities, its text bytes and, when clustering needs it, the running sum of the
/// model's hidden states.
struct Branch {
    var session: any ModelSession
    var chain: LogitProcessorChain
    /// Which generator the branch draws from.
    var slot: Int
    var tokens: [Int] = []
    var bytes: [UInt8] = []
    var logProbabilities: [Double] = []
    var hiddenSum: [Float] = []
    var hiddenCount = 0
    /// Ended: a stop token or string, the token limit, or the budget.
    var finished = false
    /// Ended by the budget rather than by itself.
    var truncated = false
    /// Whether the session holds the last token.
    var lastEvaluated = true
    /// Tokens in the current segment.
    var segmentLength = 0

    init(session: any ModelSession, chain: LogitProcessorChain, slot: Int) {
        self.session = session
        self.chain = chain
        self.slot = slot
    }

    /// A copy with a forked session (the fork shares the evaluated prefix).
    func forked(slot: Int) throws -> Branch {
        var copy = self
        copy.session = try session.fork()
        copy.slot = slot
        return copy
    }

    /// The embedding for clustering: the mean hidden state over the evaluated tokens (zeros of
    /// `width` when none was evaluated, e.g. a candidate that stopped at once).
    func embedding(width: Int) -> [Float] {
        guard hiddenCount > 0 && hiddenSum.count == width else { return [Float](repeating: 0, count: width) }
        let scale = 1 / Float(hiddenCount)
        return hiddenSum.map { $0 * scale }
    }

    func candidate(score: Double) -> SearchCandidate {
        SearchCandidate(tokens: tokens, text: String(decoding: bytes, as: UTF8.self),
                        logProbabilities: logProbabilities, isFinished: finished && !truncated, score: score)
    }

    func verifierInput(prompt: [Int]) -> VerifierCandidate {
        VerifierCandidate(prompt: prompt, tokens: tokens, text: String(decoding: bytes, as: UTF8.self),
                          logProbabilities: logProbabilities, isFinished: finished && !truncated)
    }
}
