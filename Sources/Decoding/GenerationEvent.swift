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
}

/// What a ``Generator`` streams: tokens as they come, then the result.
public enum GenerationEvent: Sendable, Hashable {
    /// A token and the text it completed.
    case token(GeneratedToken)
    /// The end, with the whole result.
    case finished(GenerationResult)
}
