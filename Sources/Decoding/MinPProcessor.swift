import Foundation

/// Keeps the tokens whose probability is at least `p` times that of the most likely token
/// (Nguyen et al., "Turning Up the Heat: Min-p Sampling", 2024; llama.cpp
/// `llama_sampler_init_min_p`).
public struct MinPProcessor: LogitProcessor {
    /// The fraction of the top probability a token needs.
    public let p: Float

    /// - Throws: ``SamplingError/invalidParameter(_:)`` unless `0 <= p <= 1` (0 keeps all).
    public init(_ p: Float) throws {
        try require(p >= 0 && p <= 1, "minP must be in [0, 1], got \(p)")
        self.p = p
    }

    /// `min_p`.
    public var name: String { "min_p" }

    /// Masks tokens with `logit < maxLogit + log p`. O(n); the argmax always survives.
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        guard p > 0 else { return }
        let threshold = Double(logits.maxLogit) + log(Double(p))
        logits.withMaskingMutation { values, candidates in
            func mask(_ i: Int) {
                if values[i] != -.infinity && Double(values[i]) < threshold { values[i] = -.infinity }
            }
            if let candidates { for i in candidates { mask(i) } } else { for i in values.indices { mask(i) } }
        }
    }
}
