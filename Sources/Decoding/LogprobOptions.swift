/// What a ``Generator`` records about each token's probability (see ``TokenLogprobs``).
/// Without options it records nothing and a step costs nothing extra; with them, every step
/// computes the log-softmax of the model's logits once (O(vocabulary)) and, for ``top`` > 0,
/// selects the most likely tokens (O(vocabulary)).
public struct LogprobOptions: Sendable, Hashable {
    /// How many of the model's most likely tokens to list per position (0: none).
    public var top: Int

    /// Options listing `top` most likely tokens per position.
    ///
    /// - Throws: ``GenerationError/invalidTopLogprobs(_:)`` for a negative count.
    public init(top: Int = 0) throws(GenerationError) {
        guard top >= 0 else { throw .invalidTopLogprobs(top) }
        self.top = top
    }
}
