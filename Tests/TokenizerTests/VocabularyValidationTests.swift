import GGUF
import Testing
import Tokenizer

/// Bad vocabulary metadata gives a typed error naming what is wrong.
@Suite struct VocabularyValidationTests {
    /// GGUF metadata for the tiny vocabulary, with `changes` replacing or adding entries.
    private func gguf(_ changes: [String: GGUFValue?] = [:]) throws -> GGUFMetadata {
        let base = TinyVocabulary.metadata()
        var values: [(String, GGUFValue)] = [
            ("tokenizer.ggml.model", .string(base.model)),
            ("tokenizer.ggml.pre", .string("smollm")),
            ("tokenizer.ggml.tokens", .array(.string(base.tokens))),
            ("tokenizer.ggml.token_type", .array(.int32(base.tokenTypes!.map { Int32($0) }))),
            ("tokenizer.ggml.merges", .array(.string(base.merges))),
            ("tokenizer.ggml.bos_token_id", .uint32(0)),
            ("tokenizer.ggml.eos_token_id", .uint32(1)),
        ]
        for (key, value) in changes {
            values.removeAll { $0.0 == key }
            if let value { values.append((key, value)) }
        }
        return try GGUFMetadata(entries: values.map { GGUFMetadata.Entry(key: $0.0, value: $0.1) })
    }

    private func load(_ changes: [String: GGUFValue?]) throws -> Tokenizer {
        try Tokenizer(metadata: VocabularyMetadata(gguf: gguf(changes)))
    }

    @Test func wellFormedMetadataLoads() throws {
        let tokenizer = try load([:])
        #expect(tokenizer.vocabularySize == TinyVocabulary.metadata().tokens.count)
        #expect(tokenizer.specialTokens.bos == 0)
        #expect(tokenizer.specialTokens.eos == 1)
    }

    @Test func missingTokens() {
        #expect(throws: TokenizerError.missingMetadata(key: "tokenizer.ggml.tokens")) {
            try load(["tokenizer.ggml.tokens": GGUFValue?.none])
        }
    }

    @Test func tokensOfTheWrongElementType() {
        #expect(throws: TokenizerError.wrongMetadataType(
            key: "tokenizer.ggml.tokens", expected: "ARRAY of STRING", found: "ARRAY of INT32"))
        {
            try load(["tokenizer.ggml.tokens": .array(.int32([1, 2, 3]))])
        }
    }

    @Test func tokenTypesOfTheWrongElementType() {
        #expect(throws: TokenizerError.wrongMetadataType(
            key: "tokenizer.ggml.token_type", expected: "ARRAY of integers", found: "ARRAY of STRING"))
        {
            try load(["tokenizer.ggml.token_type": .array(.string(["1"]))])
        }
    }

    @Test func scoresOfTheWrongElementType() {
        #expect(throws: TokenizerError.self) {
            try load(["tokenizer.ggml.scores": .array(.string(["0"]))])
        }
    }

    @Test func tokenTypesOfTheWrongLength() {
        let count = TinyVocabulary.metadata().tokens.count
        #expect(throws: TokenizerError.lengthMismatch(key: "tokenizer.ggml.token_type", count: 3, tokenCount: count)) {
            try load(["tokenizer.ggml.token_type": .array(.int32([1, 1, 1]))])
        }
    }

    @Test func scoresOfTheWrongLength() {
        let count = TinyVocabulary.metadata().tokens.count
        #expect(throws: TokenizerError.lengthMismatch(key: "tokenizer.ggml.scores", count: 2, tokenCount: count)) {
            try load(["tokenizer.ggml.scores": .array(.float32([0, 0]))])
        }
    }

    @Test func tokenTypeOutOfRange() {
        var types = TinyVocabulary.metadata().tokenTypes!.map { Int32($0) }
        types[7] = 9
        #expect(throws: TokenizerError.invalidTokenType(id: 7, value: 9)) {
            try load(["tokenizer.ggml.token_type": .array(.int32(types))])
        }
    }

    @Test(arguments: ["tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id", "tokenizer.ggml.padding_token_id"])
    func specialIDOutsideTheVocabulary(key: String) {
        let count = TinyVocabulary.metadata().tokens.count
        #expect(throws: TokenizerError.specialTokenOutOfRange(key: key, id: count, vocabularySize: count)) {
            try load([key: .uint32(UInt32(count))])
        }
    }

    @Test(arguments: ["<0x4G>", "<0x041>", "0x41", "<0X41>", "A"])
    func byteTokenNotOfTheFormHexByte(text: String) {
        var tokens = TinyVocabulary.metadata().tokens
        var types = TinyVocabulary.metadata().tokenTypes!.map { Int32($0) }
        tokens.append(text)
        types.append(6)
        #expect(throws: TokenizerError.invalidByteToken(id: tokens.count - 1, text: text)) {
            try load(["tokenizer.ggml.tokens": .array(.string(tokens)), "tokenizer.ggml.token_type": .array(.int32(types))])
        }
    }

    @Test func byteTokenOfTheFormHexByteDecodesToItsByte() throws {
        var tokens = TinyVocabulary.metadata().tokens
        var types = TinyVocabulary.metadata().tokenTypes!.map { Int32($0) }
        tokens.append("<0xE6>")
        types.append(6)
        let tokenizer = try load(["tokenizer.ggml.tokens": .array(.string(tokens)), "tokenizer.ggml.token_type": .array(.int32(types))])
        #expect(tokenizer.tokenBytes(tokens.count - 1) == [0xE6])
    }

    @Test(arguments: ["ab", "a  b", "a b c", " a", "a "])
    func mergeThatDoesNotParse(merge: String) {
        #expect(throws: TokenizerError.malformedMerge(index: 1, text: merge)) {
            try load(["tokenizer.ggml.merges": .array(.string(["b c", merge]))])
        }
    }

    @Test func mergeOfUnknownTokens() {
        #expect(throws: TokenizerError.mergeOutsideVocabulary(index: 0, text: "x y")) {
            try load(["tokenizer.ggml.merges": .array(.string(["x y"]))])
        }
    }

    @Test func normalTokenOutsideTheByteAlphabetDecodesToItsText() throws {
        // Command R's vocabulary has such tokens; llama.cpp loads it, so must we.
        var tokens = TinyVocabulary.metadata().tokens
        var types = TinyVocabulary.metadata().tokenTypes!.map { Int32($0) }
        tokens.append("日本")
        types.append(1)
        let tokenizer = try load([
            "tokenizer.ggml.tokens": .array(.string(tokens)), "tokenizer.ggml.token_type": .array(.int32(types)),
        ])
        #expect(try tokenizer.decode([tokens.count - 1]) == Array("日本".utf8))
    }

    @Test func unknownModelAndPreTokenizer() {
        #expect(throws: TokenizerError.unsupportedModel("bert")) {
            try load(["tokenizer.ggml.model": .string("bert")])
        }
        #expect(throws: TokenizerError.unsupportedPreTokenizer("chatglm-bpe")) {
            try load(["tokenizer.ggml.pre": .string("chatglm-bpe")])
        }
    }

    @Test func emptyVocabulary() {
        #expect(throws: TokenizerError.emptyVocabulary) {
            try Tokenizer(metadata: VocabularyMetadata(
                model: "gpt2", preTokenizer: "smollm", tokens: [], tokenTypes: [], merges: []))
        }
    }
}
