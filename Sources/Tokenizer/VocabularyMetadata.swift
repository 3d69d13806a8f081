/// The tokenizer part of a GGUF file's metadata (`tokenizer.ggml.*`), as plain values.
///
/// ``Tokenizer/init(metadata:)`` validates it; `Tokenizer(file:)` fills it from a GGUF file. Build
/// one by hand to make a tokenizer without a file (tests, other containers).
public struct VocabularyMetadata: Sendable, Hashable {
    /// `tokenizer.ggml.model`: the algorithm (`"gpt2"` = byte-level BPE, `"llama"` = SentencePiece).
    public var model: String
    /// `tokenizer.ggml.pre`: the pre-tokenizer's name (`"smollm"`, `"gpt-2"`, …); `nil` if absent.
    public var preTokenizer: String?
    /// `tokenizer.ggml.tokens`: token texts, index = id (GPT-2 byte alphabet for normal BPE tokens,
    /// `▁` for a space in SentencePiece ones).
    public var tokens: [String]
    /// `tokenizer.ggml.token_type`: one ``TokenType`` raw value per token; `nil` = all normal.
    public var tokenTypes: [Int]?
    /// `tokenizer.ggml.scores`: one score per token (SentencePiece merges by them; unused by BPE,
    /// validated for length); or `nil`.
    public var scores: [Float]?
    /// `tokenizer.ggml.merges`: `"left right"` pairs; a merge's rank is its index.
    public var merges: [String]
    /// Special-token ids by GGUF key (`"tokenizer.ggml.bos_token_id"` → 1, …).
    public var specialTokenIDs: [String: Int]
    /// `tokenizer.ggml.add_bos_token`, if present.
    public var addBOSToken: Bool?
    /// `tokenizer.ggml.add_eos_token`, if present.
    public var addEOSToken: Bool?
    /// `tokenizer.ggml.add_space_prefix`, if present (SentencePiece only).
    public var addSpacePrefix: Bool?
    /// `tokenizer.chat_template`, if present.
    public var chatTemplate: String?
    /// `general.name`, if present: llama.cpp sets per-token attributes by it (Phi-3's special
    /// tokens drop the whitespace after them).
    public var modelName: String?

    /// The GGUF keys of special-token ids that are read and validated.
    public static let specialTokenKeys: [String] = [
        "bos", "eos", "eot", "eom", "unknown", "seperator", "padding", "cls", "mask",
        "fim_pre", "fim_suf", "fim_mid", "fim_pad", "fim_rep", "fim_sep",
    ].map { "tokenizer.ggml.\($0)_token_id" }

    /// Metadata as given; no validation happens until a ``Tokenizer`` is made from it.
    public init(
        model: String, preTokenizer: String?, tokens: [String], tokenTypes: [Int]?,
        scores: [Float]? = nil, merges: [String], specialTokenIDs: [String: Int] = [:],
        addBOSToken: Bool? = nil, addEOSToken: Bool? = nil, addSpacePrefix: Bool? = nil, chatTemplate: String? = nil,
        modelName: String? = nil
    ) {
        self.model = model
        self.preTokenizer = preTokenizer
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.scores = scores
        self.merges = merges
        self.specialTokenIDs = specialTokenIDs
        self.addBOSToken = addBOSToken
        self.addEOSToken = addEOSToken
        self.addSpacePrefix = addSpacePrefix
        self.chatTemplate = chatTemplate
        self.modelName = modelName
    }
}
