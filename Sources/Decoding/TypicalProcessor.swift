/// Locally typical sampling: keeps the tokens whose surprisal `-log p` is closest to the
/// entropy until their mass exceeds `p` (Meister et al., "Locally Typical Sampling", 2023;
/// llama.cpp `llama_sampler_init_typical`, which stops once the cumulative sum is `> p`).
public struct TypicalProcessor: LogitProcessor {
    /// The probability mass kept.
    public let p: Float

    /// - Throws: ``SamplingError/invalidParameter(_:)`` unless `0 < p <= 1` (1 keeps all).
    public init(_ p: Float) throws {
        try require(p > 0 && p <= 1, "typicalP must be in (0, 1], got \(p)")
        self.p = p
    }

    /// `typ_p`.
    public var name: String { "typ_p" }

    /// Masks the least typical tokens. O(m log m) for m unmasked tokens.
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        guard p < 1, logits.unmaskedCount > 1 else { return }
        let entropy = logits.entropy
        let logProbabilities = logits.logProbabilities
        var ranked = logits.unmaskedProbabilities().map { pair in
            (distance: abs(-Double(logProbabilities[pair.token]) - entropy),
             probability: Double(pair.probability), token: pair.token)
        }
        ranked.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.token < $1.token) }
        var kept: [Int] = []
        var cumulative = 0.0
        for candidate in ranked {
            kept.append(candidate.token)
            cumulative += candidate.probability
            if cumulative > Double(p) { break }
        }
        logits.keepOnlyUnchecked(kept)
    }
}
