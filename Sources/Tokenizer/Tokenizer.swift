/// A tokenizer built from GGUF vocabulary metadata, agreeing with llama.cpp: byte-level BPE
/// (`tokenizer.ggml.model = "gpt2"`, `llm_tokenizer_bpe`), SentencePiece BPE (`"llama"`,
/// `llm_tokenizer_spm`) or Gemma 4's BPE over characters with `▁` spaces (`"gemma4"`).
///
/// Encoding: special tokens are cut out of the text first (longest first, as llama.cpp's
/// `tokenizer_st_partition`). For BPE the rest is split into words by the ``PreTokenizer`` named
/// in `tokenizer.ggml.pre` and each word is merged by rank; for SentencePiece each stretch has its
/// spaces replaced by `▁` (and a space put first, see ``addsSpacePrefix``) and is merged by score
/// with `<0xHH>` byte fallback. Decoding maps every id to its bytes (the GPT-2 byte alphabet or
/// `▁` undone), so output is bytes: a token may hold part of a UTF-8 character;
/// ``StreamingDetokenizer`` turns ids into complete text as they come.
///
/// ```swift
/// let tokenizer = try Tokenizer(file: try GGUFFile(url: modelURL))
/// let ids = try tokenizer.encode("<|im_start|>user\nHi", parseSpecial: true)
/// let text = String(decoding: try tokenizer.decode(ids), as: UTF8.self)
/// ```
///
/// A value type: its tables are immutable arrays shared between copies; `Sendable`.
public struct Tokenizer: Sendable {
    /// Number of tokens; ids are `0..<vocabularySize`.
    public let vocabularySize: Int
    /// The bytes of every token, index = id (see ``tokenBytes(_:)``).
    public let tokenByteTable: [[UInt8]]
    /// Special-token ids.
    public let specialTokens: SpecialTokenIDs
    /// Whether the model wants BOS added (`tokenizer.ggml.add_bos_token`; if absent, true for
    /// SentencePiece and false for BPE, as llama.cpp).
    public let addsBOSByDefault: Bool
    /// Whether the model wants EOS added (`tokenizer.ggml.add_eos_token`; false if absent).
    public let addsEOSByDefault: Bool
    /// Whether SentencePiece puts a space before the text and after each special token
    /// (`tokenizer.ggml.add_space_prefix`; true if absent), which ``decode(_:skipSpecialTokens:)``
    /// strips again from the first token. Always false for BPE.
    public let addsSpacePrefix: Bool
    /// The model's chat template source (`tokenizer.chat_template`), if any.
    public let chatTemplateSource: String?
    /// The pre-tokenizer in use (BPE); `nil` for SentencePiece, which has none.
    public let preTokenizer: PreTokenizer?

    let tokenTexts: [String]
    let tokenTypes: [TokenType]
    let model: TokenizerModel
    /// Tokens found in text as one id, longest text first.
    let specialPieces: [SpecialPiece]

    /// A token matched literally in text before pre-tokenization.
    struct SpecialPiece: Sendable {
        let bytes: [UInt8]
        let id: Int
        /// Whether it is parsed only when the caller asks for special tokens (control, unknown).
        let needsParseSpecial: Bool
        /// Whether whitespace right after it is dropped (llama.cpp's `LLAMA_TOKEN_ATTR_RSTRIP`).
        let stripsWhitespaceAfter: Bool
    }

    /// The raw vocabulary text of token `id` (GPT-2 byte alphabet or `▁` for spaces in normal tokens).
    /// - Precondition: `0 <= id < vocabularySize`.
    public func tokenText(_ id: Int) -> String { tokenTexts[id] }

    /// The type of token `id`.
    /// - Precondition: `0 <= id < vocabularySize`.
    public func tokenType(_ id: Int) -> TokenType { tokenTypes[id] }

    /// The bytes token `id` stands for: its GPT-2-alphabet text mapped back to bytes (BPE) or its
    /// text with `▁` as a space (SentencePiece) for normal tokens, `<0xHH>` → one byte for byte tokens, the literal UTF-8 text for control,
    /// user-defined, unknown and unused tokens. May be part of a UTF-8 character.
    /// - Precondition: `0 <= id < vocabularySize` (use ``decode(_:skipSpecialTokens:)`` for
    ///   unchecked input).
    public func tokenBytes(_ id: Int) -> [UInt8] { tokenByteTable[id] }

    /// Whether token `id` is a control token (markup such as `<|im_start|>`, not content).
    /// - Precondition: `0 <= id < vocabularySize`.
    public func isControl(_ id: Int) -> Bool { tokenTypes[id] == .control }
}
