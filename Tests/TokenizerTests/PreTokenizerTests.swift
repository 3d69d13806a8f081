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
