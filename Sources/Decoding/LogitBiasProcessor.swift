/// Adds a fixed bias to chosen tokens' logits (OpenAI's `logit_bias`, llama.cpp
/// `llama_sampler_init_logit_bias`); a bias of `-infinity` bans the token.
public struct LogitBiasProcessor: LogitProcessor {
    /// Bias per token id.
    public let bias: [Int: Float]
    private let entries: [(token: Int, bias: Float)]

    /// - Throws: ``SamplingError/invalidParameter(_:)`` for a negative token id or a bias that
    ///   is NaN or `+infinity`.
    public init(_ bias: [Int: Float]) throws {
        for (token, value) in bias {
            try require(token >= 0, "logit bias token must be non-negative, got \(token)")
            try require(!value.isNaN && value != .infinity,
                        "logit bias for token \(token) must be finite or -inf, got \(value)")
        }
        self.bias = bias
        entries = bias.map { ($0.key, $0.value) }.sorted { $0.token < $1.token }
    }

    /// `logit_bias`.
    public var name: String { "logit_bias" }

    /// Adds the biases. O(b), plus O(n) when a bias masks a token (to check something is left).
    ///
    /// - Throws: ``SamplingError/tokenOutOfRange(_:vocabularySize:)`` for an id outside the
    ///   row, ``SamplingError/allTokensMasked`` if the biases mask every token.
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        guard !entries.isEmpty else { return }
        for entry in entries { try logits.checkToken(entry.token) }
        var masked = false
        logits.withMaskingMutation { values, _ in
            for entry in entries where values[entry.token] != -.infinity {
                var value = values[entry.token] + entry.bias
                if value == .infinity { value = .greatestFiniteMagnitude }
                if value == -.infinity { masked = true }
                values[entry.token] = value
            }
        }
        if masked && logits.unmaskedCount == 0 { throw SamplingError.allTokensMasked }
    }
}
