import Constraints
import Decoding
import Logging
import Strategies
import Tokenizer

/// The model a server serves, with what turning requests into generations needs: its
/// tokenizer and chat template, the strategy registry's context (each token's bytes read once),
/// and the per-request limits.
///
/// Immutable after `init` and shared by every request handler (`@unchecked Sendable`:
/// ``StrategyContext`` holds the model and the tokenizer, both `Sendable`, and values).
public final class ServedModel: @unchecked Sendable {
    /// The id clients put in `model` (and `/v1/models` lists).
    public let id: String
    /// The model.
    public let model: any LanguageModel
    /// Its tokenizer.
    public let tokenizer: Tokenizer
    /// The template chat requests are rendered with.
    public let chatTemplate: ChatTemplate
    /// The most tokens, prompt and output, one request may use (at most the model's context).
    public let maxContext: Int
    /// The most choices (`n`) one request may ask for.
    public let maxChoices: Int
    /// The registry's context with the per-request fields unset.
    let baseContext: StrategyContext

    /// Serves `model` under `id`; `maxContext` defaults to the model's context length.
    ///
    /// - Throws: ``ServingError/invalidField(field:reason:)`` for a `maxContext` outside
    ///   `2...model.contextLength` or `maxChoices` below 1, and the tokenizer's errors.
    public init(id: String, model: any LanguageModel, tokenizer: Tokenizer, chatTemplate: ChatTemplate,
                maxContext: Int? = nil, maxChoices: Int = 16) throws {
        let limit = maxContext ?? model.contextLength
        guard limit >= 2, limit <= model.contextLength else {
            throw ServingError.invalidField(field: "maxContext",
                                            reason: "must be in 2...\(model.contextLength) (the model's context), got \(limit)")
        }
        guard maxChoices >= 1 else {
            throw ServingError.invalidField(field: "maxChoices", reason: "must be at least 1, got \(maxChoices)")
        }
        self.id = id
        self.model = model
        self.tokenizer = tokenizer
        self.chatTemplate = chatTemplate
        self.maxContext = limit
        self.maxChoices = maxChoices
        baseContext = try StrategyContext(model: model, decoder: tokenizer, chain: LogitProcessorChain(), seed: 0)
    }

    /// The bytes of every token (control tokens empty): the scheduler's decoder.
    public var tokenDecoder: any TokenDecoder { ClosureTokenDecoder(table: baseContext.table.pieces) }

    /// How a token is written in log-probabilities: `token_id:N` when asked, else its text
    /// (a control token's own spelling, such as `<|im_end|>`).
    public func render(_ token: Int, asID: Bool) -> String {
        if asID { return "token_id:\(token)" }
        let bytes = baseContext.table[token]
        return bytes.isEmpty ? tokenizer.tokenText(token) : String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes of `token` (empty for control tokens).
    public func bytes(of token: Int) -> [UInt8] { baseContext.table[token] }
}
