/// The body of `POST /v1/completions` (OpenAI's legacy completions API).
///
/// `prompt` may be a string or an array of token ids (as llama.cpp's server and vLLM accept);
/// `logprobs` asks for the chosen token's log-probability and the `logprobs` most likely
/// tokens at each position — up to the whole vocabulary here (an extension: OpenAI caps it at
/// 5), which is what a ``LanguageModel`` over this server needs.
public struct CompletionRequest: Decodable, Sendable, Hashable {
    /// The prompt.
    public var prompt: PromptInput
    /// How many most likely tokens to report per position (`nil`: no log-probabilities).
    public var logprobs: Int?
    /// Whether the prompt is repeated at the start of the text (only `false` is supported).
    public var echo: Bool?
    /// The shared generation fields.
    public var fields: SamplingFields

    enum CodingKeys: String, CodingKey {
        case prompt, logprobs, echo
    }

    /// Decodes the body.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        prompt = try container.decode(PromptInput.self, forKey: .prompt)
        logprobs = try container.decodeIfPresent(Int.self, forKey: .logprobs)
        echo = try container.decodeIfPresent(Bool.self, forKey: .echo)
        fields = try SamplingFields(from: decoder)
    }
}

/// A completions prompt: text, a one-element list of text, or token ids.
public enum PromptInput: Decodable, Sendable, Hashable {
    /// Text, tokenized with the model's tokenizer (special-token text parsed).
    case text(String)
    /// Token ids, used as they are.
    case tokens([Int])

    /// Decodes a string, an array of one string, or an array of integers.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let ids = try? container.decode([Int].self) {
            self = .tokens(ids)
        } else if let texts = try? container.decode([String].self) {
            guard texts.count == 1 else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "a list of \(texts.count) prompts; send one prompt per request")
            }
            self = .text(texts[0])
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "must be a string or an array of token ids")
        }
    }
}
