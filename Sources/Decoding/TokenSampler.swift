/// Picks one token from a processed row of logits: the piece a user drops into a generation
/// loop they already have. Samplers are values; a sampler with a random generator carries it,
/// so copying a sampler forks its stream.
public protocol TokenSampler: Sendable {
    /// Picks a token from `logits` (never a masked one).
    mutating func sample(_ logits: Logits) throws -> Int
}

/// Always the most likely token (the lowest id among ties). Deterministic; O(n) once per row.
public struct GreedySampler: TokenSampler {
    /// A greedy sampler.
    public init() {}

    /// The argmax of `logits`.
    public func sample(_ logits: Logits) -> Int { logits.argmax }
}
