extension PreTokenizer {
    /// One of llama.cpp's pre-tokenizer types (`LLAMA_VOCAB_PRE_TYPE_*`): the `tokenizer.ggml.pre`
    /// names that select it (`llama_vocab::impl::load`), its regexes in order (the
    /// `llm_tokenizer_bpe` constructor's `regex_exprs`, in PCRE2 syntax), and whether a word that
    /// is a token is kept whole (`ignore_merges`).
    struct Family: Sendable {
        let names: [String]
        let patterns: [String]
        let ignoresMerges: Bool
    }

    /// Every family this package implements, from llama.cpp's `src/llama-vocab.cpp` and
    /// `src/unicode.cpp` (as vendored by llama-cpp-python 0.3.36; llama.cpp's test vocabularies
    /// `ggml-vocab-NAME.gguf` check each family marked "tested").
    ///
    /// Names llama.cpp maps to the same regexes but treats differently in other ways are left out
    /// rather than half supported: `glm4`/`chatglm-bpe` (no BOS id), `jina-v1-en`/`jina-v2-code`/
    /// `roberta-bpe` (a separator token added), and the families with their own regexes that no
    /// test vocabulary covers.
    static let families: [Family] = [
        // LLAMA3 (tested: llama-bpe). Only the Llama 3 names set `ignore_merges`; DBRX and SMAUG
        // share the regex without it.
        Family(
            names: ["llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
                    "jina-v5-nano"],
            patterns: [llama3Pattern(digits: #"\p{N}{1,3}"#)], ignoresMerges: true),
        Family(names: ["dbrx", "smaug-bpe"], patterns: [llama3Pattern(digits: #"\p{N}{1,3}"#)], ignoresMerges: false),
        // QWEN2 (tested: qwen2): Llama 3's regex with single digits. GROK_2's regex is the same text.
        Family(
            names: ["qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan", "solar-open",
                    "grok-2"],
            patterns: [llama3Pattern(digits: #"\p{N}"#)], ignoresMerges: false),
        // QWEN35 (tested: qwen35): combining marks join letters, not punctuation.
        Family(names: ["qwen35"], patterns: [qwen35Pattern], ignoresMerges: false),
        // STARCODER, REFACT, COMMAND_R, SMOLLM, CODESHELL, EXAONE, MINERVA, MELLUM2 (tested: starcoder,
        // refact, command-r): GPT-2's split after cutting every digit apart.
        Family(
            names: ["smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b", "mellum2"],
            patterns: [#"\p{N}"#, gpt2Pattern], ignoresMerges: false),
        // GPT2, MPT, OLMO, JAIS, TRILLION, GRANITE_DOCLING (tested: gpt-2, mpt).
        Family(
            names: ["gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum",
                    "modern-bert", "exaone4", "mpt", "olmo", "jais", "trillion", "granite-docling"],
            patterns: [gpt2Pattern], ignoresMerges: false),
        // FALCON (tested: falcon).
        Family(
            names: ["falcon"],
            patterns: [#"[\p{P}\$\+<=>\^~\|`]+"#, gpt2Pattern, "[0-9][0-9][0-9]"], ignoresMerges: false),
        // DEFAULT: what llama.cpp uses for `default` and for a vocabulary with no `tokenizer.ggml.pre`.
        Family(
            names: ["default"],
            patterns: [#"[\p{P}\$\+<=>\^~\|]+"#, gpt2Pattern, #"\p{N}+"#, "[0-9][0-9][0-9]"], ignoresMerges: false),
        // DEEPSEEK_LLM (tested: deepseek-llm). llama.cpp runs the regexes without `\p{…}` through
        // std::wregex, after replacing every non-ASCII whitespace character with U+000B, so a
        // class written with one (U+3000 here, in `[　-。]`) never matches it: the classes below
        // leave those characters out. std::regex's `$` is the end of the piece only: PCRE2's `\z`.
        Family(
            names: ["deepseek-llm"],
            patterns: [
                #"[\r\n]"#, "[\(whitespace)]?[\(deepSeekLetters)]+",
                "[\(whitespace)]?[!-/:-~\\x{FF01}-\\x{FF0F}\\x{FF1A}-\\x{FF5E}\\x{2018}-\\x{201F}\\x{3001}\\x{3002}]+",
                "[\(whitespace)]+\\z", deepSeekCJK, #"\p{N}+"#,
            ],
            ignoresMerges: false),
        // DEEPSEEK_CODER (tested: deepseek-coder).
        Family(
            names: ["deepseek-coder"],
            patterns: [
                #"[\r\n]"#, "[\(whitespace)]?\\p{L}+", "[\(whitespace)]?\\p{P}+", deepSeekCJK, #"\p{N}"#,
            ],
            ignoresMerges: false),
    ]

    /// llama.cpp's whitespace (`unicode_set_whitespace`: Unicode White_Space, which includes U+0085
    /// that PCRE2's `\s` lacks) as a character-class body. llama.cpp's `\s` is this set on every
    /// path: its hand-written GPT-2 and Llama 3 splitters test the flag, and its std::regex path
    /// first replaces each non-ASCII whitespace character with U+000B.
    static let whitespace =
        #"\t-\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}"#

    /// GPT-2's regex, `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)`,
    /// which llama.cpp runs through `unicode_regex_split_custom_gpt2`. That splitter's extra
    /// `\s+` fallback is what PCRE2 leaves as a gap between matches, which `split` keeps as a word.
    static let gpt2Pattern =
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^"# + whitespace + #"\p{L}\p{N}]+|["#
        + whitespace + "]+(?![^" + whitespace + "])"

    /// Llama 3's regex as llama.cpp adapts it (PR 6920): the case-insensitive contractions
    /// `(?i:'s|…)` written as ASCII classes (`'[sS]`), so that PCRE2's Unicode case folding does
    /// not also take `'ſ` or `'K` (Kelvin), as `unicode_regex_split_custom_llama3`, which lowers
    /// only the ASCII letters, does not. `digits` is `\p{N}{1,3}` for Llama 3, `\p{N}` for Qwen 2.
    static func llama3Pattern(digits: String) -> String {
        contractions + #"|[^\r\n\p{L}\p{N}]?\p{L}+|"# + digits + #"| ?[^"# + whitespace + #"\p{L}\p{N}]+[\r\n]*|["#
            + whitespace + "]*[\\r\\n]+|[" + whitespace + "]+(?![^" + whitespace + "])|[" + whitespace + "]+"
    }

    /// Qwen 3.5's regex: Qwen 2's with `\p{M}` beside `\p{L}`.
    static let qwen35Pattern =
        contractions + #"|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^"# + whitespace + #"\p{L}\p{M}\p{N}]+[\r\n]*|["#
        + whitespace + "]*[\\r\\n]+|[" + whitespace + "]+(?![^" + whitespace + "])|[" + whitespace + "]+"

    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)` with ASCII case only.
    static let contractions = #"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"#

    /// DeepSeek's CJK run, `[一-龥ࠀ-一가-퟿]` (U+0800…U+4E00 included, as written upstream), less
    /// the whitespace in U+0800…U+4E00 (U+1680, U+2000…U+200A, U+2028, U+2029, U+202F, U+205F,
    /// U+3000), which llama.cpp's std::wregex never sees (see DEEPSEEK_LLM above).
    static let deepSeekCJK =
        #"[\x{4E00}-\x{9FA5}\x{800}-\x{167F}\x{1681}-\x{1FFF}\x{200B}-\x{2027}\x{202A}-\x{202E}"#
        + #"\x{2030}-\x{205E}\x{2060}-\x{2FFF}\x{3001}-\x{4E00}\x{AC00}-\x{D7FF}]+"#

    /// DeepSeek LLM's letter class (cased letters of many scripts, from its tokenizer.json), with
    /// each non-ASCII character written as `\x{…}`.
    static let deepSeekLetters =
        #"A-Za-z\x{B5}\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{1BA}\x{1BC}-\x{1BF}\x{1C4}-\x{293}\x{295}-\x{2AF}"#
        + #"\x{370}-\x{373}\x{376}\x{377}\x{37B}-\x{37D}\x{37F}\x{386}\x{388}-\x{38A}\x{38C}\x{38E}-\x{3A1}"#
        + #"\x{3A3}-\x{3F5}\x{3F7}-\x{481}\x{48A}-\x{52F}\x{531}-\x{556}\x{10A0}-\x{10C5}\x{13A0}-\x{13F5}"#
        + #"\x{13F8}-\x{13FD}\x{1C90}-\x{1CBA}\x{1CBD}-\x{1CBF}\x{1D00}-\x{1D2B}\x{1D6B}-\x{1D77}"#
        + #"\x{1D79}-\x{1D9A}\x{1E00}-\x{1F15}\x{1F18}-\x{1F1D}\x{1F20}-\x{1F45}\x{1F48}-\x{1F4D}"#
        + #"\x{1F50}-\x{1F57}\x{1F59}\x{1F5B}\x{1F5D}\x{1F5F}-\x{1F7D}\x{1F80}-\x{1FB4}\x{1FB6}-\x{1FBC}"#
        + #"\x{1FBE}\x{1FC2}-\x{1FC4}\x{1FC6}-\x{1FCC}\x{1FD0}-\x{1FD3}\x{1FD6}-\x{1FDB}\x{1FE0}-\x{1FEC}"#
        + #"\x{1FF2}-\x{1FF4}\x{1FF6}-\x{1FFC}\x{2102}\x{2107}\x{210A}-\x{2113}\x{2115}\x{2119}-\x{211D}"#
        + #"\x{2124}\x{2126}\x{2128}\x{212A}-\x{212D}\x{212F}-\x{2134}\x{2139}\x{213C}-\x{213F}"#
        + #"\x{2145}-\x{2149}\x{214E}\x{2183}\x{2184}\x{2C00}-\x{2C7B}\x{2C7E}-\x{2CE4}\x{2CEB}-\x{2CEE}"#
        + #"\x{2CF2}\x{2CF3}\x{A640}-\x{A66D}\x{A680}-\x{A69B}\x{A722}-\x{A76F}\x{A771}-\x{A787}"#
        + #"\x{A78B}-\x{A78E}\x{AB70}-\x{ABBF}\x{FB00}-\x{FB06}\x{FB13}-\x{FB17}\x{FF21}-\x{FF3A}"#
        + #"\x{FF41}-\x{FF5A}\x{10400}-\x{1044F}\x{104B0}-\x{104D3}\x{104D8}-\x{104FB}\x{10C80}-\x{10CB2}"#
        + #"\x{10CC0}-\x{10CF2}\x{118A0}-\x{118DF}\x{1E900}-\x{1E943}"#
}
