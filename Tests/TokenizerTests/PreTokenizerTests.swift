import Testing
import Tokenizer

@Suite struct PreTokenizerTests {
    private func words(_ text: String, _ name: String) throws -> [String] {
        let pre = try PreTokenizer(named: name)
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            try pre.split(buffer).map { String(decoding: bytes[$0], as: UTF8.self) }
        }
    }

    @Test(arguments: [
        ("Hello world", ["Hello", " world"]),
        ("x 1234 y", ["x", " ", "1", "2", "3", "4", " y"]),
        ("I'm here's", ["I", "'m", " here", "'s"]),
        ("a  b", ["a", " ", " b"]),
        ("a\n\nb\n", ["a", "\n", "\n", "b", "\n"]),
        ("tabs\tand", ["tabs", "\t", "and"]),
        ("end   ", ["end", "   "]),
        ("x\u{85}\u{85}y", ["x", "\u{85}", "\u{85}", "y"]),
        ("café ½ 日本語!!", ["café", " ", "½", " 日本語", "!!"]),
        ("e\u{301}", ["e", "\u{301}"]),
    ])
    func smollmSplitsDigitsSingly(text: String, expected: [String]) throws {
        #expect(try words(text, "smollm") == expected)
    }

    @Test func gpt2KeepsDigitRuns() throws {
        #expect(try words("x 1234 y", "gpt-2") == ["x", " 1234", " y"])
    }

    /// llama.cpp's semantics, worked out by hand from `llama-vocab.cpp` and `unicode.cpp`.
    @Test(arguments: [
        // Llama 3: contractions in either ASCII case, digits in threes, whitespace before a
        // newline kept with it, a run of spaces leaving its last one to the next word.
        ("llama-bpe", "I'M here's 12345", ["I", "'M", " here", "'s", " ", "123", "45"]),
        ("llama-bpe", "a  \n\n b", ["a", "  \n\n", " b"]),
        ("llama-bpe", "x   y", ["x", "  ", " y"]),
        ("llama-bpe", "!!!\n\nok", ["!!!\n\n", "ok"]),
        // 'ſ (U+017F) is not the contraction 's: llama.cpp lowers ASCII letters only, where PCRE2's
        // caseless (?i:'s) would take it.
        ("llama-bpe", "'\u{17F}x", ["'\u{17F}x"]),
        ("gpt-2", "IT'S", ["IT", "'", "S"]),
        ("qwen2", "12345 abc", ["1", "2", "3", "4", "5", " abc"]),
        // Qwen 3.5 keeps a combining mark with its letter; Qwen 2 starts a new word at it.
        ("qwen35", "e\u{301}x", ["e\u{301}x"]),
        ("qwen2", "e\u{301}x", ["e", "\u{301}x"]),
        // "=" is a math symbol, not punctuation.
        ("deepseek-coder", "int x=10;\n", ["int", " x", "=", "1", "0", ";", "\n"]),
        ("deepseek-llm", "Hello, 世界 123!", ["Hello", ",", " ", "世界", " ", "123", "!"]),
        // U+3000 is whitespace, so DeepSeek's punctuation and CJK classes, which name it, never
        // take it (llama.cpp's std::wregex sees U+000B in its place).
        ("deepseek-llm", "<   \u{3000}컜", ["<", "   \u{3000}", "컜"]),
        ("deepseek-coder", "\u{3000}日本", ["\u{3000}", "日本"]),
        ("falcon", "a+=b 12345", ["a", "+=", "b", " ", "123", "45"]),
        // Falcon's first class has the backtick, the default's does not.
        ("falcon", "`!", ["`!"]),
        ("default", "`!", ["`", "!"]),
    ])
    func followsLlamaCpp(name: String, text: String, expected: [String]) throws {
        #expect(try words(text, name) == expected)
    }

    @Test func onlyTheLlama3NamesIgnoreMerges() throws {
        // A token the merges never build ("ca"): Llama 3 emits it whole, the others merge bytes.
        let base = TinyVocabulary.metadata()
        func ids(_ pre: String) throws -> [Int] {
            let tokenizer = try Tokenizer(metadata: TinyVocabulary.metadata(
                tokens: base.tokens + ["ca"], types: base.tokenTypes! + [1], pre: pre))
            return try tokenizer.encode("ca")
        }
        let whole = TinyVocabulary.metadata().tokens.count
        let bytes = [TinyVocabulary.byteID(UInt8(ascii: "c")), TinyVocabulary.byteID(UInt8(ascii: "a"))]
        #expect(try ids("llama-bpe") == [whole])
        #expect(try ids("llama3") == [whole])
        #expect(try ids("dbrx") == bytes)
        #expect(try ids("qwen2") == bytes)
    }

    @Test func missingNameIsLlamaCppsDefault() throws {
        var metadata = TinyVocabulary.metadata()
        metadata.preTokenizer = nil
        #expect(try Tokenizer(metadata: metadata).preTokenizer?.name == "default")
    }

    @Test func splitCoversEveryByte() throws {
        let text = "  Mixed: 3.14, naïve — \u{1F600}\u{1F680} \n\t end  "
        #expect(try words(text, "smollm").joined() == text)
    }

    @Test(arguments: ["chatglm-bpe", "tekken", "", "LLAMA-BPE", "llama-bpe "])
    func unknownNameIsATypedError(name: String) {
        #expect(throws: TokenizerError.unsupportedPreTokenizer(name)) {
            try PreTokenizer(named: name)
        }
    }

    @Test func unknownNameErrorListsTheSupportedNames() {
        let message = TokenizerError.unsupportedPreTokenizer("tekken").description
        for name in ["llama-bpe", "qwen2", "qwen35", "deepseek-llm", "deepseek-coder", "falcon", "mpt", "default"] {
            #expect(message.contains(name), "\(message)")
        }
    }
}
