/// Repetition, frequency and presence penalties over the last `lastN` tokens, as llama.cpp's
/// `llama_sampler_init_penalties`: for a token seen `c > 0` times in the window, a positive
/// logit is divided by `repeatPenalty` and a negative one multiplied by it (Keskar et al.,
/// CTRL, 2019), then `c × frequencyPenalty + presencePenalty` is subtracted (OpenAI's
/// frequency and presence penalties).
public struct PenaltiesProcessor: LogitProcessor {
    /// Divisor for repeated tokens' logits (1 = off).
    public let repeatPenalty: Float
    /// Subtracted once per occurrence (0 = off).
    public let frequencyPenalty: Float
    /// Subtracted once for any occurrence (0 = off).
    public let presencePenalty: Float
    /// How many of the last tokens count: 0 disables, -1 means the whole history.
    public let lastN: Int

    /// Sorted copy of the window, reused between calls (no allocation per token).
    private var window: [Int] = []

    /// - Throws: ``SamplingError/invalidParameter(_:)`` for a non-positive or non-finite
    ///   `repeatPenalty`, a negative or non-finite frequency or presence penalty, or
    ///   `lastN < -1`.
    public init(repeatPenalty: Float = 1, frequencyPenalty: Float = 0, presencePenalty: Float = 0,
                lastN: Int = 64) throws {
        try require(repeatPenalty.isFinite && repeatPenalty > 0,
                    "repeatPenalty must be finite and positive, got \(repeatPenalty)")
        try require(frequencyPenalty.isFinite && frequencyPenalty >= 0,
                    "frequencyPenalty must be finite and non-negative, got \(frequencyPenalty)")
        try require(presencePenalty.isFinite && presencePenalty >= 0,
                    "presencePenalty must be finite and non-negative, got \(presencePenalty)")
        try require(lastN >= -1, "repeatLastN must be -1 (whole history), 0 (off) or positive, got \(lastN)")
        self.repeatPenalty = repeatPenalty
        self.frequencyPenalty = frequencyPenalty
        self.presencePenalty = presencePenalty
        self.lastN = lastN
    }

    /// Whether the processor changes anything.
    public var isNeutral: Bool {
        lastN == 0 || (repeatPenalty == 1 && frequencyPenalty == 0 && presencePenalty == 0)
    }

    /// `penalties`.
    public var name: String { "penalties" }

    /// Penalizes the tokens of the window. O(w log w) for a window of w tokens.
    ///
    /// - Throws: ``SamplingError/tokenOutOfRange(_:vocabularySize:)`` for a history token
    ///   outside the row; ``SamplingError/allTokensMasked`` if penalties overflowed every
    ///   remaining token to `-infinity`.
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        guard !isNeutral, !history.isEmpty else { return }
        let size = lastN == -1 ? history.count : min(lastN, history.count)
        window.removeAll(keepingCapacity: true)
        window.append(contentsOf: history.suffix(size))
        for token in window { try logits.checkToken(token) }
        window.sort()
        var overflowed = false
        let (repeatPenalty, frequencyPenalty, presencePenalty) = (self.repeatPenalty, self.frequencyPenalty, self.presencePenalty)
        window.withUnsafeBufferPointer { window in
            logits.withMaskingMutation { values, _ in
                var start = 0
                while start < window.count {
                    let token = window[start]
                    var end = start + 1
                    while end < window.count && window[end] == token { end += 1 }
                    let count = Float(end - start)
                    var value = values[token]
                    if value != -.infinity {
                        value = value <= 0 ? value * repeatPenalty : value / repeatPenalty
                        value -= count * frequencyPenalty + presencePenalty
                        if !value.isFinite { value = -.infinity; overflowed = true }
                        values[token] = value
                    }
                    start = end
                }
            }
        }
        if overflowed && logits.unmaskedCount == 0 { throw SamplingError.allTokensMasked }
    }
}
