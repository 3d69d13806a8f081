import Decoding
import Testing
import Tokenizer

/// `Tokenizer` as a `TokenDecoder`: a token's bytes, nothing for control tokens, a typed error
/// outside the vocabulary.
@Suite struct TokenDecoderConformanceTests {
    let tokenizer: Tokenizer
    init() throws { tokenizer = try Tokenizer(metadata: TinyVocabulary.metadata()) }

    @Test func bytesOfTokens() throws {
        let decoder: any TokenDecoder = tokenizer
        #expect(try decoder.bytes(for: TinyVocabulary.id("abc")) == Array("abc".utf8))
        #expect(try decoder.bytes(for: TinyVocabulary.id("Ġab")) == Array(" ab".utf8))
        #expect(try decoder.bytes(for: TinyVocabulary.byteID(0xFF)) == [0xFF])
        // `<|im_start|>` is a control token: markup, no text.
        #expect(try decoder.bytes(for: TinyVocabulary.id("<|im_start|>")) == [])
        #expect(try decoder.bytes(for: TinyVocabulary.id("<user>")) == Array("<user>".utf8))
    }

    @Test(arguments: [-1, 266, 1 << 40])
    func idsOutsideTheVocabularyThrow(_ id: Int) {
        #expect(throws: TokenizerError.tokenOutOfRange(id: id, vocabularySize: 266)) { try tokenizer.bytes(for: id) }
    }
}
