/// Picks one token from a processed row of logits: the piece a user drops into a generation
/// loop they already have. Samplers are values; a sampler with a random generator carries it,
/// so copying a sampler forks its stream.
public protocol TokenSampler: Sendable {
    /// Picks a token from `logits` (never a masked one).
    mutating func sample(_ logits: Logits) throws -> Int

    /// `log p` of `token` under the distribution ``sample(_:)`` draws from given `logits`.
    func logProbability(of token: Int, in logits: Logits) -> Double
}

extension TokenSampler {
    /// The log-softmax of `logits` at `token`: the distribution of a sampler that draws from
    /// the softmax of the row it is given.
    public func logProbability(of token: Int, in logits: Logits) -> Double {
        logits.logProbability(of: token)
    }
}

/// Always the most likely token (the lowest id among ties). Deterministic; O(n) once per row.
public struct GreedySampler: TokenSampler {
    /// A greedy sampler.
    public init() {}

    /// The argmax of `logits`.
    public func sample(_ logits: Logits) -> Int { logits.argmax }

    /// 0 for the argmax (a point mass), `-infinity` for every other token.
    public func logProbability(of token: Int, in logits: Logits) -> Double {
        token == logits.argmax ? 0 : -.infinity
    }
}
