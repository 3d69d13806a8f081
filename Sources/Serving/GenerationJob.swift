import Decoding

/// One generation for the ``BatchScheduler``: the prompt's ids, the strategy that advances it,
/// and the limits of the ``Generator`` that drives it.
///
/// A job is built on the task that handles the request and handed to the scheduler's loop,
/// which alone touches it afterwards (hence `@unchecked Sendable`: the strategy holds
/// non-`Sendable` processor chains, used by one thread at a time).
public struct GenerationJob: @unchecked Sendable {
    /// The prompt's token ids (not empty).
    public var prompt: [Int]
    /// The strategy, freshly built for this prompt.
    public var strategy: any DecodingStrategy
    /// Whether each step of `strategy` ends with one appended token (sampling, greedy, lcd,
    /// awrs), so the scheduler can evaluate that token in the batch with the other jobs'.
    /// Other strategies run their steps alone in the same loop.
    public var isTokenByToken: Bool
    /// The most tokens generated.
    public var maxTokens: Int
    /// Strings that end generation.
    public var stopStrings: [String]
    /// `nil`: no log-probabilities; `k`: the chosen token's and the `k` most likely tokens'
    /// log-probabilities at each position (raw model distribution). Token-by-token jobs only.
    public var logprobs: Int?

    /// A job.
    public init(prompt: [Int], strategy: any DecodingStrategy, isTokenByToken: Bool, maxTokens: Int,
                stopStrings: [String] = [], logprobs: Int? = nil) {
        self.prompt = prompt
        self.strategy = strategy
        self.isTokenByToken = isTokenByToken
        self.maxTokens = maxTokens
        self.stopStrings = stopStrings
        self.logprobs = logprobs
    }
}

/// What a job reports, in order: tokens as they are generated, then the end.
public enum ServedEvent: Sendable, Hashable {
    /// A token and the text it released.
    case token(ServedToken)
    /// The end of the generation.
    case finished(ServedCompletion)
}

/// One generated token.
public struct ServedToken: Sendable, Hashable {
    /// The token id.
    public var id: Int
    /// Its bytes (empty for control tokens).
    public var bytes: [UInt8]
    /// Text released with it (whole characters; stop strings held back until resolved).
    public var text: String
    /// Its log-probability under the model's raw distribution, when asked.
    public var logprob: Double?
    /// The most likely tokens at its position with their log-probabilities, when asked.
    public var topLogprobs: [TokenLogprob]
}

/// A token and its log-probability.
public struct TokenLogprob: Sendable, Hashable {
    /// The token id.
    public var id: Int
    /// `log p`.
    public var logprob: Double
}

/// How a job ended.
public struct ServedCompletion: Sendable, Hashable {
    /// Every generated token (a final end-of-sequence token included).
    public var tokens: [Int]
    /// The text, up to a stop string.
    public var text: String
    /// Why it ended.
    public var stopReason: StopReason
    /// The prompt's length in tokens.
    public var promptTokens: Int

    /// OpenAI's `finish_reason`: `length` for the token budget or a full context, `stop` otherwise.
    public var finishReason: String {
        switch stopReason {
        case .maxTokens, .contextFull: return "length"
        default: return "stop"
        }
    }
}
