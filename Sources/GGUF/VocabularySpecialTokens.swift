/// The special tokens of a GGUF vocabulary as llama.cpp derives them (`llama_vocab::impl::load`):
/// BOS/EOS/EOT/EOM/unknown/padding ids, whether BOS and EOS are added by default, and the set of
/// ids that end generation.
///
/// Derived once, here, so the tokenizer, the runtime, the generator and the CLI agree: `Tokenizer`
/// and `Transformer` both depend on `GGUF`, neither on the other. Ids outside the vocabulary are
/// dropped here (the tokenizer rejects them with an error before it derives this).
///
/// - Defaults: a SentencePiece vocabulary (`tokenizer.ggml.model = "llama"`) without the keys has
///   BOS 1, EOS 2, unknown 0 and adds BOS; a byte-level BPE vocabulary whose pre-tokenizer is one
///   llama.cpp adds BOS for (``bosAddingPreTokenizers``: Llama 3, Tekken, Chameleon, …) adds it
///   too; others have no default ids and add BOS only when `tokenizer.ggml.add_bos_token` says so,
///   which overrides these defaults, except Gemma 4 (`"gemma4"`), which always adds it (llama.cpp
///   overrides the key). EOS is added only when
///   `tokenizer.ggml.add_eos_token` is true.
/// - End of generation: EOS, EOT and EOM; the FIM pad/repo/separator tokens; and every token whose
///   text is one of llama.cpp's end markers (``endOfGenerationTexts``). EOT, EOM and the FIM tokens
///   are found by text when their keys are absent. llama.cpp's two exceptions are kept: `<|end|>`
///   is not an end when `<|return|>` and `<|call|>` (or `<|calls|>` and `<|flush|>`) are, and
///   `</s>` is not when `<|tool_response>` is.
/// - Control: the tokens found by text above are control tokens even when the file says otherwise
///   (``promotedToControl``), as llama.cpp overrides their type.
public struct VocabularySpecialTokens: Sendable, Hashable {
    /// Beginning of sequence (`bos_token_id`).
    public var bos: Int?
    /// End of sequence (`eos_token_id`).
    public var eos: Int?
    /// End of turn (`eot_token_id`, or a token whose text is a known end-of-turn marker).
    public var eot: Int?
    /// End of message (`eom_token_id`, or `<|eom_id|>`).
    public var eom: Int?
    /// The unknown token (`unknown_token_id`).
    public var unknown: Int?
    /// Padding (`padding_token_id`).
    public var padding: Int?
    /// Every id that ends generation, EOS included (llama.cpp's `special_eog_ids`).
    public var endOfTurn: Set<Int>
    /// Whether an encoder adds BOS first by default.
    public var addsBOS: Bool
    /// Whether an encoder adds EOS last by default.
    public var addsEOS: Bool
    /// Ids that llama.cpp treats as control tokens whatever their stored type.
    public var promotedToControl: Set<Int>

    /// Special ids as given.
    public init(
        bos: Int? = nil, eos: Int? = nil, eot: Int? = nil, eom: Int? = nil, unknown: Int? = nil,
        padding: Int? = nil, endOfTurn: Set<Int> = [], addsBOS: Bool = false, addsEOS: Bool = false,
        promotedToControl: Set<Int> = []
    ) {
        self.bos = bos
        self.eos = eos
        self.eot = eot
        self.eom = eom
        self.unknown = unknown
        self.padding = padding
        self.endOfTurn = endOfTurn
        self.addsBOS = addsBOS
        self.addsEOS = addsEOS
        self.promotedToControl = promotedToControl
    }

    /// Whether `token` ends generation.
    public func isEndOfGeneration(_ token: Int) -> Bool { endOfTurn.contains(token) }

    /// Texts of tokens that end generation (llama.cpp's end-of-generation list).
    public static let endOfGenerationTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
        "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
        "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
        "<｜end▁of▁sentence｜>", "[e~[",
    ]

    /// Texts that name the EOT token when `eot_token_id` is absent, and the FIM tokens' texts.
    private static let textsByKey: [(key: String, texts: Set<String>)] = [
        ("eot", ["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>",
                 "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>"]),
        ("eom", ["<|eom_id|>"]),
        ("fim_pre", ["<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>",
                     "<|code_prefix|>", "<|prefix|>"]),
        ("fim_suf", ["<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>",
                     "<|code_suffix|>", "<|suffix|>"]),
        ("fim_mid", ["<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>",
                     "<|code_middle|>", "<|middle|>"]),
        ("fim_pad", ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"]),
        ("fim_rep", ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"]),
        ("fim_sep", ["<|file_sep|>"]),
    ]

    /// The key each text of ``textsByKey`` names (no text names two).
    private static let keyByText: [String: String] = Dictionary(
        textsByKey.flatMap { entry in entry.texts.map { ($0, entry.key) } }, uniquingKeysWith: { first, _ in first })

    /// Derives the special tokens from vocabulary values.
    ///
    /// - Parameters:
    ///   - model: `tokenizer.ggml.model`.
    ///   - tokens: `tokenizer.ggml.tokens`.
    ///   - tokenTypes: `tokenizer.ggml.token_type` (3 = control), or `nil`.
    ///   - ids: special ids by GGUF key (`"tokenizer.ggml.bos_token_id"` → 1, …).
    ///   - addBOS: `tokenizer.ggml.add_bos_token`, if present.
    ///   - addEOS: `tokenizer.ggml.add_eos_token`, if present.
    ///   - preTokenizer: `tokenizer.ggml.pre`, if present.
    /// - Complexity: one pass over the vocabulary with two hash lookups per token. Where several
    ///   tokens have texts that name the same key (llama.cpp takes whichever its hash map visits
    ///   first), the lowest id wins.
    public init(
        model: String, tokens: [String], tokenTypes: [Int]?, ids: [String: Int], addBOS: Bool?, addEOS: Bool?,
        preTokenizer: String? = nil
    ) {
        let count = tokens.count
        func id(_ name: String) -> Int? {
            guard let value = ids["tokenizer.ggml.\(name)_token_id"], value >= 0, value < count else { return nil }
            return value
        }
        let sentencePiece = model == "llama"
        func fallback(_ value: Int) -> Int? { sentencePiece && value < count ? value : nil }
        var found: [String: Int] = [:]
        for entry in Self.textsByKey { if let value = id(entry.key) { found[entry.key] = value } }
        var promoted = Set<Int>()
        var endOfTurn = Set<Int>()
        for (index, text) in tokens.enumerated() {
            if let key = Self.keyByText[text], found[key] == nil {
                found[key] = index
                promoted.insert(index)
            }
            if Self.endOfGenerationTexts.contains(text) {
                endOfTurn.insert(index)
                promoted.insert(index)
            }
        }
        for key in ["fim_pad", "fim_rep", "fim_sep"] { if let value = found[key] { endOfTurn.insert(value) } }
        let eos = ids["tokenizer.ggml.eos_token_id"] == nil ? fallback(2) : id("eos")
        for value in [eos, found["eot"], found["eom"]] { if let value { endOfTurn.insert(value) } }
        let texts = Dictionary(endOfTurn.map { (tokens[$0], $0) }, uniquingKeysWith: min)
        if let end = texts["<|end|>"], texts["<|call|>"] != nil || texts["<|calls|>"] != nil,
            texts["<|return|>"] != nil || texts["<|flush|>"] != nil
        {
            endOfTurn.remove(end)
            promoted.remove(end)
        }
        if let close = texts["</s>"], texts["<|tool_response>"] != nil {
            endOfTurn.remove(close)
            promoted.remove(close)
        }
        if let types = tokenTypes, types.count == count {
            promoted = promoted.filter { types[$0] != 3 }
        }
        self.init(
            bos: ids["tokenizer.ggml.bos_token_id"] == nil ? fallback(1) : id("bos"), eos: eos,
            eot: found["eot"], eom: found["eom"],
            unknown: ids["tokenizer.ggml.unknown_token_id"] == nil ? fallback(0) : id("unknown"),
            padding: id("padding"), endOfTurn: endOfTurn, addsBOS: (addBOS ?? (sentencePiece || Self.bosAddingPreTokenizers.contains(preTokenizer ?? ""))) || model == "gemma4",
            addsEOS: addEOS ?? false,
            promotedToControl: promoted)
    }

    /// Derives the special tokens from a GGUF file's metadata.
    ///
    /// - Throws: ``GGUFError`` when `tokenizer.ggml.tokens` is absent or a value has the wrong type.
    public init(metadata: GGUFMetadata) throws(GGUFError) {
        var ids: [String: Int] = [:]
        for name in ["bos", "eos", "eot", "eom", "unknown", "padding"] + Self.textsByKey.map(\.key) {
            let key = "tokenizer.ggml.\(name)_token_id"
            if let value = try metadata.integerIfPresent(key) { ids[key] = value }
        }
        self.init(
            model: try metadata.stringIfPresent("tokenizer.ggml.model") ?? "",
            tokens: try metadata.stringArray("tokenizer.ggml.tokens"),
            tokenTypes: try metadata.intArrayIfPresent("tokenizer.ggml.token_type"), ids: ids,
            addBOS: try metadata.boolIfPresent("tokenizer.ggml.add_bos_token"),
            addEOS: try metadata.boolIfPresent("tokenizer.ggml.add_eos_token"),
            preTokenizer: try metadata.stringIfPresent("tokenizer.ggml.pre"))
    }

    /// The `tokenizer.ggml.pre` names for which llama.cpp adds BOS when the file does not say
    /// (`llama_vocab::impl::load`, llama.cpp as vendored by llama-cpp-python 0.3.36).
    public static let bosAddingPreTokenizers: Set<String> = [
        "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano",
        "tekken", "chameleon",
    ]
}
