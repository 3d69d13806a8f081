import GGUF
import Testing

/// The special tokens derived once from vocabulary metadata, as llama.cpp's `llama_vocab` load.
@Suite struct VocabularySpecialTokensTests {
    @Test func sentencePieceDefaultsWithoutKeys() {
        let special = VocabularySpecialTokens(
            model: "llama", tokens: ["<unk>", "<s>", "</s>", "a"], tokenTypes: [2, 3, 3, 1], ids: [:],
            addBOS: nil, addEOS: nil)
        #expect(special.bos == 1 && special.eos == 2 && special.unknown == 0)
        #expect(special.addsBOS && !special.addsEOS)
        #expect(special.endOfTurn == [2])
    }

    @Test func bytePairHasNoDefaults() {
        let special = VocabularySpecialTokens(
            model: "gpt2", tokens: ["a", "b"], tokenTypes: nil, ids: [:], addBOS: nil, addEOS: true)
        #expect(special.bos == nil && special.eos == nil && special.unknown == nil)
        #expect(!special.addsBOS && special.addsEOS)
        #expect(special.endOfTurn.isEmpty)
    }

    @Test func llama3PreTokenizerAddsBOSUnlessTheFileSays() {
        func adds(_ pre: String?, _ key: Bool?) -> Bool {
            VocabularySpecialTokens(
                model: "gpt2", tokens: ["a", "<|begin_of_text|>"], tokenTypes: nil,
                ids: ["tokenizer.ggml.bos_token_id": 1], addBOS: key, addEOS: nil, preTokenizer: pre
            ).addsBOS
        }
        #expect(adds("llama-bpe", nil) && adds("tekken", nil))
        #expect(!adds("llama-bpe", false))
        #expect(!adds("qwen2", nil) && !adds(nil, nil))
        #expect(adds("qwen2", true))
    }

    @Test func endOfGenerationCollectsKeysAndKnownTexts() {
        let tokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<fim_pad>", "<|eom_id|>", "x"]
        let special = VocabularySpecialTokens(
            model: "gpt2", tokens: tokens, tokenTypes: [3, 3, 3, 3, 1, 1],
            ids: ["tokenizer.ggml.eos_token_id": 0, "tokenizer.ggml.eot_token_id": 5], addBOS: nil, addEOS: nil)
        #expect(special.eot == 5)
        #expect(special.eom == 4)
        #expect(special.endOfTurn == [0, 2, 3, 4, 5])
        // <|eom_id|> was a normal token: llama.cpp makes a found end marker a control token.
        #expect(special.promotedToControl == [4])
    }

    @Test func idsOutsideTheVocabularyAreDropped() {
        let special = VocabularySpecialTokens(
            model: "llama", tokens: ["<unk>", "<s>"], tokenTypes: nil, ids: ["tokenizer.ggml.eos_token_id": 9],
            addBOS: false, addEOS: nil)
        #expect(special.eos == nil && special.bos == 1 && !special.addsBOS)
    }

    @Test func harmonyAndGemma4Exceptions() {
        let harmony = VocabularySpecialTokens(
            model: "gpt2", tokens: ["<|return|>", "<|call|>", "<|end|>"], tokenTypes: nil, ids: [:], addBOS: nil,
            addEOS: nil)
        #expect(harmony.endOfTurn == [0, 1])
        let gemma = VocabularySpecialTokens(
            model: "gpt2", tokens: ["</s>", "<|tool_response>"], tokenTypes: nil, ids: [:], addBOS: nil, addEOS: nil)
        #expect(gemma.endOfTurn == [1])
    }

    @Test func fromGGUFMetadata() throws {
        let metadata = try GGUFMetadata(entries: [
            GGUFMetadata.Entry(key: "tokenizer.ggml.model", value: .string("gpt2")),
            GGUFMetadata.Entry(key: "tokenizer.ggml.tokens", value: .array(.string(["<|im_end|>", "a"]))),
            GGUFMetadata.Entry(key: "tokenizer.ggml.token_type", value: .array(.int32([3, 1]))),
            GGUFMetadata.Entry(key: "tokenizer.ggml.bos_token_id", value: .uint32(1)),
            GGUFMetadata.Entry(key: "tokenizer.ggml.add_bos_token", value: .bool(true)),
        ])
        let special = try VocabularySpecialTokens(metadata: metadata)
        #expect(special.bos == 1 && special.addsBOS && special.endOfTurn == [0] && special.eot == 0)
    }
}
