import Testing
import Tokenizer

/// Whether BOS and EOS are added by default, per test vocabulary, as llama.cpp decides it
/// (`llama_vocab_get_add_bos` / `_add_eos` of llama-cpp-python 0.3.36 on each file, recorded here):
/// the file's `add_bos_token` when present, else the tokenizer model's and pre-tokenizer's default.
struct LlamaCppAddSpecialTests {
    static let expected: [(name: String, addsBOS: Bool, addsEOS: Bool)] = [
        ("aquila", false, false), ("baichuan", true, false), ("command-r", true, false),
        ("deepseek-coder", true, false), ("deepseek-llm", true, false), ("falcon", false, false),
        ("gemma-4", true, false), ("gpt-2", false, false), ("llama-bpe", true, false),
        ("llama-spm", true, false), ("mpt", false, false), ("phi-3", true, false), ("qwen2", false, false),
        ("qwen35", false, false), ("refact", false, false), ("starcoder", false, false),
    ]

    @Test(arguments: expected.map(\.name))
    func addsSpecialTokensAsLlamaCpp(name: String) throws {
        let tokenizer = try LlamaCppVocabulary.tokenizer(name)
        let expected = try #require(Self.expected.first { $0.name == name })
        #expect(tokenizer.addsBOSByDefault == expected.addsBOS)
        #expect(tokenizer.addsEOSByDefault == expected.addsEOS)
    }
}
