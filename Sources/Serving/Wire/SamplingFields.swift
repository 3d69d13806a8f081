/// The generation fields `/v1/completions` and `/v1/chat/completions` share: OpenAI's sampling
/// options, vLLM's and llama.cpp's extensions (`top_k`, `min_p`, `repetition_penalty`,
/// `return_tokens_as_token_ids`), and this package's (`regex`, `grammar`, `strategy`).
///
/// Unknown fields are ignored, as OpenAI-compatible servers do; a known field of the wrong
/// type is an error (``ServingError/invalidField(field:reason:)``).
public struct SamplingFields: Decodable, Sendable, Hashable {
    /// The model id the client asked for (must be the served one when given).
    public var model: String?
    /// Most tokens to generate per choice.
    public var maxTokens: Int?
    /// Temperature (OpenAI's default 1; 0 is greedy).
    public var temperature: Float?
    /// Nucleus sampling threshold (default 1, off).
    public var topP: Float?
    /// Top-k (default 0 or -1, off).
    public var topK: Int?
    /// Min-p (default 0, off).
    public var minP: Float?
    /// OpenAI's presence penalty in -2...2.
    public var presencePenalty: Float?
    /// OpenAI's frequency penalty in -2...2.
    public var frequencyPenalty: Float?
    /// vLLM's repetition penalty (> 0; 1 is off).
    public var repetitionPenalty: Float?
    /// Seed of the random draws (random when absent).
    public var seed: Int64?
    /// Strings that end generation (left out of the text).
    public var stop: StopField?
    /// Number of choices.
    public var n: Int?
    /// Whether to stream server-sent events.
    public var stream: Bool?
    /// Streaming options (`include_usage`).
    public var streamOptions: StreamOptions?
    /// `text`, `json_object` or `json_schema`.
    public var responseFormat: ResponseFormat?
    /// Extension: a PCRE2 pattern the whole output must match.
    public var regex: String?
    /// Extension: a GBNF grammar the output must follow.
    public var grammar: String?
    /// Extension: the strategy in the package's strategy language (`greedy`, `awrs`, `smc:8`, `beam:4`…).
    public var strategy: String?
    /// vLLM's extension: render tokens in log-probabilities as `token_id:N`.
    public var returnTokensAsTokenIDs: Bool?
    /// vLLM's and llama.cpp's extension: never end at an end-of-sequence token (they are banned,
    /// as llama.cpp's server does), so a generation runs to `max_tokens` or a stop string.
    public var ignoreEOS: Bool?

    enum CodingKeys: String, CodingKey {
        case model, temperature, seed, stop, n, stream, regex, grammar, strategy
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case topP = "top_p"
        case topK = "top_k"
        case minP = "min_p"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case repetitionPenalty = "repetition_penalty"
        case streamOptions = "stream_options"
        case responseFormat = "response_format"
        case returnTokensAsTokenIDs = "return_tokens_as_token_ids"
        case ignoreEOS = "ignore_eos"
    }

    /// Decodes the fields (`max_completion_tokens`, the chat API's newer name, counts as `max_tokens`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        maxTokens = try container.decodeIfPresent(Int.self, forKey: .maxTokens)
            ?? container.decodeIfPresent(Int.self, forKey: .maxCompletionTokens)
        temperature = try container.decodeIfPresent(Float.self, forKey: .temperature)
        topP = try container.decodeIfPresent(Float.self, forKey: .topP)
        topK = try container.decodeIfPresent(Int.self, forKey: .topK)
        minP = try container.decodeIfPresent(Float.self, forKey: .minP)
        presencePenalty = try container.decodeIfPresent(Float.self, forKey: .presencePenalty)
        frequencyPenalty = try container.decodeIfPresent(Float.self, forKey: .frequencyPenalty)
        repetitionPenalty = try container.decodeIfPresent(Float.self, forKey: .repetitionPenalty)
        seed = try container.decodeIfPresent(Int64.self, forKey: .seed)
        stop = try container.decodeIfPresent(StopField.self, forKey: .stop)
        n = try container.decodeIfPresent(Int.self, forKey: .n)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
        streamOptions = try container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
        responseFormat = try container.decodeIfPresent(ResponseFormat.self, forKey: .responseFormat)
        regex = try container.decodeIfPresent(String.self, forKey: .regex)
        grammar = try container.decodeIfPresent(String.self, forKey: .grammar)
        strategy = try container.decodeIfPresent(String.self, forKey: .strategy)
        returnTokensAsTokenIDs = try container.decodeIfPresent(Bool.self, forKey: .returnTokensAsTokenIDs)
        ignoreEOS = try container.decodeIfPresent(Bool.self, forKey: .ignoreEOS)
    }

    /// Fields for a test or a library caller; everything unset.
    public init() {}
}

/// `stop`: one string or a list of strings.
public struct StopField: Decodable, Sendable, Hashable {
    /// The strings.
    public var strings: [String]

    /// Decodes a string or an array of strings.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            strings = [one]
        } else {
            strings = try container.decode([String].self)
        }
    }
}

/// `stream_options`.
public struct StreamOptions: Decodable, Sendable, Hashable {
    /// Whether a last chunk carries the usage counts.
    public var includeUsage: Bool?

    enum CodingKeys: String, CodingKey {
        case includeUsage = "include_usage"
    }
}

/// `response_format`: `{"type":"text"}`, `{"type":"json_object"}` or
/// `{"type":"json_schema","json_schema":{"name":…,"schema":{…}}}`. The schema itself is read
/// from the body's JSON text (so numbers keep their exact spelling), not decoded here.
public struct ResponseFormat: Decodable, Sendable, Hashable {
    /// `text`, `json_object` or `json_schema`.
    public var type: String
    /// The `json_schema` object's name and strictness (its `schema` is read separately).
    public var jsonSchema: JSONSchemaFormat?

    enum CodingKeys: String, CodingKey {
        case type
        case jsonSchema = "json_schema"
    }

    /// The `json_schema` member: its name and strictness, decoded, and the schema's JSON text,
    /// filled in by ``OpenAIRequestDecoder``.
    public struct JSONSchemaFormat: Decodable, Sendable, Hashable {
        /// The schema's name.
        public var name: String?
        /// OpenAI's `strict` flag (every output here follows the schema exactly either way).
        public var strict: Bool?
        /// The schema as JSON text.
        public var schema: String?

        enum CodingKeys: String, CodingKey {
            case name, strict
        }
    }
}
