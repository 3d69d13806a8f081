/// The body of a `/v1/completions` response, and (with `object` `text_completion` and one
/// piece of text per choice) of each streamed chunk.
public struct CompletionResponse: Encodable, Sendable {
    /// `cmpl-…`, the same for every chunk of a stream.
    public var id: String
    /// Always `text_completion`.
    public var object = "text_completion"
    /// Seconds since 1970 when the request was accepted.
    public var created: Int
    /// The served model's id.
    public var model: String
    /// One entry per choice (in a stream chunk: the choices that advanced).
    public var choices: [Choice]
    /// Token counts (in a stream: only on the last chunk, when asked).
    public var usage: Usage?

    /// One choice.
    public struct Choice: Encodable, Sendable {
        /// Which of the `n` choices.
        public var index: Int
        /// The text (in a stream: the new piece).
        public var text: String
        /// Log-probabilities in the legacy form, when asked.
        public var logprobs: LegacyLogprobs?
        /// `stop`, `length`, or `nil` while streaming.
        public var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, text, logprobs
            case finishReason = "finish_reason"
        }

        /// Encodes `logprobs` and `finish_reason` as `null` when absent, as OpenAI does.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(text, forKey: .text)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }
}

/// The legacy completions log-probabilities: parallel arrays over the generated tokens.
public struct LegacyLogprobs: Encodable, Sendable {
    /// Each token's text (or `token_id:N`).
    public var tokens: [String] = []
    /// Each token's log-probability under the model's raw distribution.
    public var tokenLogprobs: [Double] = []
    /// The most likely tokens at each position, text → log-probability.
    public var topLogprobs: [[String: Double]] = []
    /// Each token's offset in the choice's text: the number of characters before it.
    public var textOffset: [Int] = []

    enum CodingKeys: String, CodingKey {
        case tokens
        case tokenLogprobs = "token_logprobs"
        case topLogprobs = "top_logprobs"
        case textOffset = "text_offset"
    }

    /// Empty arrays.
    public init() {}
}

/// Token counts of a response.
public struct Usage: Encodable, Sendable, Hashable {
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// Tokens generated, summed over the choices.
    public var completionTokens: Int
    /// Their sum.
    public var totalTokens: Int { promptTokens + completionTokens }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    /// Counts.
    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    /// Encodes the three counts.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(promptTokens, forKey: .promptTokens)
        try container.encode(completionTokens, forKey: .completionTokens)
        try container.encode(totalTokens, forKey: .totalTokens)
    }
}
