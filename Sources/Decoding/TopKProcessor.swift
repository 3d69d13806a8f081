/// Keeps the `k` most likely tokens (Fan et al., "Hierarchical Neural Story Generation", 2018;
/// llama.cpp `llama_sampler_init_top_k`). Ties at the boundary keep the lower ids.
public struct TopKProcessor: LogitProcessor {
    /// How many tokens survive.
    public let k: Int

    /// - Throws: ``SamplingError/invalidParameter(_:)`` unless `k > 0`.
    public init(_ k: Int) throws {
        try require(k > 0, "topK must be positive, got \(k)")
        self.k = k
    }

    /// `top_k`.
    public var name: String { "top_k" }

    /// Masks all but the `k` largest logits. O(n log k).
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        guard k < logits.unmaskedCount else { return }
        logits.keepOnlyUnchecked(logits.topTokens(k))
    }
}
