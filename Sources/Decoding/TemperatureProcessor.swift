/// Divides the logits by a temperature; temperature 0 keeps only the most likely token
/// (greedy), as llama.cpp's `llama_sampler_init_temp` does for `t <= 0`.
///
/// The row is first shifted so its maximum is 0 (softmax is shift-invariant), so a tiny
/// temperature can push unlikely tokens to `-infinity` but never overflow to `+infinity`.
public struct TemperatureProcessor: LogitProcessor {
    /// The temperature: 1 leaves the distribution unchanged, below 1 sharpens, above 1 flattens.
    public let temperature: Float

    /// `temperature` must be finite and non-negative.
    ///
    /// - Throws: ``SamplingError/invalidParameter(_:)`` for a negative, NaN or infinite value.
    public init(_ temperature: Float) throws {
        try require(temperature.isFinite && temperature >= 0,
                    "temperature must be finite and non-negative, got \(temperature)")
        self.temperature = temperature
    }

    /// `temperature`.
    public var name: String { "temperature" }

    /// True at temperature 0 (greedy).
    public var selectsArgmax: Bool { temperature == 0 }

    /// Scales the row, or reduces it to its argmax at temperature 0. O(n).
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        if temperature == 0 {
            logits.keepOnlyUnchecked(CollectionOfOne(logits.argmax))
            return
        }
        if temperature == 1 { return }
        let top = logits.maxLogit
        let inverse = 1 / temperature
        logits.withMaskingMutation { values, candidates in
            func scale(_ i: Int) {
                if values[i] != -.infinity { values[i] = (values[i] - top) * inverse }
            }
            if let candidates { for i in candidates { scale(i) } } else { for i in values.indices { scale(i) } }
        }
    }
}
