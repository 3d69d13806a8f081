/// The body of `POST /v1/chat/completions`: messages rendered through the model's chat
/// template, then the shared generation fields.
public struct ChatCompletionRequest: Decodable, Sendable, Hashable {
    /// The conversation.
    public var messages: [WireChatMessage]
    /// Whether to report the chosen tokens' log-probabilities.
    public var logprobs: Bool?
    /// How many most likely tokens to report per position (needs `logprobs`).
    public var topLogprobs: Int?
    /// The shared generation fields.
    public var fields: SamplingFields

    enum CodingKeys: String, CodingKey {
        case messages, logprobs
        case topLogprobs = "top_logprobs"
    }

    /// Decodes the body.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messages = try container.decode([WireChatMessage].self, forKey: .messages)
        logprobs = try container.decodeIfPresent(Bool.self, forKey: .logprobs)
        topLogprobs = try container.decodeIfPresent(Int.self, forKey: .topLogprobs)
        fields = try SamplingFields(from: decoder)
    }
}

/// One message as the chat API sends it: a role and content that is a string or a list of
/// `{"type":"text","text":…}` parts.
public struct WireChatMessage: Decodable, Sendable, Hashable {
    /// `system`, `developer` (read as system), `user` or `assistant`.
    public var role: String
    /// The text (parts joined).
    public var content: String

    enum CodingKeys: String, CodingKey {
        case role, content
    }

    /// One content part.
    struct Part: Decodable {
        var type: String
        var text: String?
    }

    /// Decodes a message; content parts other than text are refused.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(String.self, forKey: .role)
        if let text = try? container.decode(String.self, forKey: .content) {
            content = text
        } else if try !container.contains(.content) || container.decodeNil(forKey: .content) {
            content = ""
        } else {
            let parts = try container.decode([Part].self, forKey: .content)
            var text = ""
            for part in parts {
                guard part.type == "text", let piece = part.text else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .content, in: container,
                        debugDescription: "content part of type '\(part.type)' is not supported; only text parts are")
                }
                text += piece
            }
            content = text
        }
    }
}
