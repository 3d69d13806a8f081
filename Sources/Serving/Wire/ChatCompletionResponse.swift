/// The body of a `/v1/chat/completions` response (`object` `chat.completion`) or of one
/// streamed chunk (`chat.completion.chunk`, choices carrying a `delta` instead of a `message`).
public struct ChatCompletionResponse: Encodable, Sendable {
    /// `chatcmpl-…`, the same for every chunk of a stream.
    public var id: String
    /// `chat.completion` or `chat.completion.chunk`.
    public var object: String
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
        /// The whole message (a response).
        public var message: Message?
        /// The new piece (a stream chunk).
        public var delta: Message?
        /// The tokens' log-probabilities, when asked.
        public var logprobs: ChatLogprobs?
        /// `stop`, `length`, or `nil` while streaming.
        public var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, message, delta, logprobs
            case finishReason = "finish_reason"
        }

        /// Encodes `logprobs` and `finish_reason` as `null` when absent, as OpenAI does.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encodeIfPresent(message, forKey: .message)
            try container.encodeIfPresent(delta, forKey: .delta)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    /// A message or a delta.
    public struct Message: Encodable, Sendable {
        /// `assistant` (in a delta: only on the first chunk).
        public var role: String?
        /// The text.
        public var content: String?
    }
}

/// The chat API's log-probabilities: one entry per generated token.
public struct ChatLogprobs: Encodable, Sendable {
    /// The entries.
    public var content: [Entry]

    /// One token.
    public struct Entry: Encodable, Sendable {
        /// Its text (or `token_id:N`).
        public var token: String
        /// Its log-probability under the model's raw distribution.
        public var logprob: Double
        /// Its UTF-8 bytes.
        public var bytes: [UInt8]
        /// The most likely tokens at its position.
        public var topLogprobs: [Alternative]

        enum CodingKeys: String, CodingKey {
            case token, logprob, bytes
            case topLogprobs = "top_logprobs"
        }
    }

    /// One of the most likely tokens.
    public struct Alternative: Encodable, Sendable {
        /// Its text (or `token_id:N`).
        public var token: String
        /// Its log-probability.
        public var logprob: Double
        /// Its UTF-8 bytes.
        public var bytes: [UInt8]
    }
}
