/// Why generation ended.
public enum StopReason: Sendable, Hashable {
    /// The token budget (`maxTokens`) was used up.
    case maxTokens
    /// The model emitted EOS or an end-of-turn token (included in the tokens, not in the text).
    case endOfSequence(token: Int)
    /// The text contained this stop string (the text ends before it).
    case stopString(String)
    /// The caller's predicate said stop.
    case predicate
    /// The session reached the model's context length.
    case contextFull
    /// The task was cancelled.
    case cancelled
}

/// One generated token as streamed.
public struct GeneratedToken: Sendable, Hashable {
    /// The token id.
    public var token: Int
    /// Its bytes (empty without a decoder or for a special token).
    public var bytes: [UInt8]
    /// Text released with this token: complete UTF-8 characters only (an incomplete tail and a
    /// possible start of a stop string are held back until resolved), so the texts of all
    /// events concatenate to ``GenerationResult/text``.
    public var text: String
    /// Its log-probabilities, when the generator records them (``Generator/logprobs``).
    public var logprobs: TokenLogprobs?
}

/// One strategy step as the generator kept it: the tokens it contributed to the result (a
/// step's tokens after a stop are dropped) and everything the step reported it cost. The
/// steps' tokens concatenate to ``GenerationResult/tokens`` and their statistics sum to
/// ``GenerationResult/statistics``.
public struct GenerationStep: Sendable, Hashable {
    /// The step's tokens that are part of the result, in order.
    public var tokens: [Int]
    /// What the step cost (the whole step, also for tokens dropped after a stop).
    public var statistics: StepStatistics
}

/// The outcome of a generation.
public struct GenerationResult: Sendable, Hashable {
    /// Every generated token (a final EOS included; tokens after a stop string included).
    public var tokens: [Int]
    /// The generated text, up to (not including) a stop string.
    public var text: String
    /// Why it ended.
    public var stopReason: StopReason
    /// Work done by the strategy, summed over its steps.
    public var statistics: StepStatistics
    /// Each token's log-probabilities when the generator records them (one per token of
    /// ``tokens``), else empty.
    public var logprobs: [TokenLogprobs]
}

/// What a ``Generator`` streams: each step's tokens as they come followed by the step itself,
/// then the result.
public enum GenerationEvent: Sendable, Hashable {
    /// A token and the text it completed.
    case token(GeneratedToken)
    /// A strategy step ended; its tokens were streamed just before.
    case step(GenerationStep)
    /// The end, with the whole result.
    case finished(GenerationResult)
}
