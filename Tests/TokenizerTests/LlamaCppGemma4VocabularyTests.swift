import Foundation
import Testing
import Tokenizer

/// Gemma 4's vocabulary (`tokenizer.ggml.model = "gemma4"`, llama.cpp's `ggml-vocab-gemma-4.gguf`):
/// BPE over characters with `▁` spaces. Every llama.cpp case and the seeded random texts of
/// `Fixtures/sentencepiece-reference.json` give llama.cpp's ids; decoding gives the text back
/// (llama.cpp's detokenizer would also apply its `clean_spaces` pass, which this package's BPE
/// decoding leaves out, as for every BPE vocabulary).
@Suite struct LlamaCppGemma4VocabularyTests {
    static let loaded = Result { try LlamaCppVocabulary.tokenizer("gemma-4") }

    @Test func everyCaseMatchesLlamaCpp() throws {
        let tokenizer = try Self.loaded.get()
        let cases = try LlamaCppVocabulary.cases("gemma-4")
        var matched = 0
        for reference in cases {
            let ids = try tokenizer.encode(reference.text)
            #expect(ids == reference.ids, "\(reference)")
            if ids == reference.ids { matched += 1 }
            #expect(try tokenizer.decodeText(ids) == reference.text, "\(reference)")
        }
        print("llama.cpp vocabulary gemma-4: \(matched)/\(cases.count) cases match")
        #expect(!cases.isEmpty)
    }

    @Test func randomTextsMatchLlamaCpp() throws {
        let reference = try #require(LlamaCppSPMVocabularyTests.reference)
        let modes = try #require(reference.ids["gemma-4"])
        let tokenizer = try Self.loaded.get()
        var matched = 0
        for (index, text) in reference.texts.enumerated() {
            let plain = try tokenizer.encode(text)
            let special = try tokenizer.encode(text, parseSpecial: true)
            #expect(plain == modes.plain[index], "\(text.debugDescription)")
            #expect(special == modes.special[index], "special: \(text.debugDescription)")
            if plain == modes.plain[index] { matched += 1 }
            if special == modes.special[index] { matched += 1 }
            #expect(try tokenizer.decodeText(plain) == text)
        }
        print("llama.cpp random texts gemma-4: \(matched)/\(2 * reference.texts.count) match")
    }

    @Test func specialTokensAndDefaults() throws {
        let tokenizer = try Self.loaded.get()
        #expect(tokenizer.preTokenizer == nil && !tokenizer.addsSpacePrefix)
        #expect(tokenizer.addsBOSByDefault && !tokenizer.addsEOSByDefault)
        #expect(tokenizer.specialTokens.bos == 2 && tokenizer.specialTokens.eos == 1)
        #expect(tokenizer.specialTokens.endOfTurn.contains(1))
        #expect(try tokenizer.encode("Hello world", addBOS: true) == [2, 9259, 1902])
    }

    /// The `tokenizer` fuzz target's first finding (vocabulary byte 4, flags 0, then this text):
    /// 0xF5 was cut as a 4-byte character, taking `DF DF E2` with it, so the first space's `▁`
    /// fell back to byte tokens and decoded as `▁`, not a space.
    @Test func invalidBytesBeforeSpacesRoundTrip() throws {
        let tokenizer = try Self.loaded.get()
        let bytes: [UInt8] = [
            0x20, 0x20, 0x20, 0x20, 0xBA, 0x9A, 0x93, 0x93, 0x90, 0xF5, 0xDF, 0xDF, 0x20, 0x20, 0x6C, 0x6C, 0x6F,
        ]
        #expect(try tokenizer.decode(try tokenizer.encode(bytes: bytes)) == bytes)
        #expect(try tokenizer.decode(try tokenizer.encode(bytes: [0xDF, 0x20, 0x61])) == [0xDF, 0x20, 0x61])
    }

    @Test func badMerges() throws {
        let tokens = ["<0x61>", "a", "b", "ab"]
        func metadata(_ merges: [String]) -> VocabularyMetadata {
            VocabularyMetadata(model: "gemma4", preTokenizer: nil, tokens: tokens, tokenTypes: [6, 1, 1, 1], merges: merges)
        }
        let tokenizer = try Tokenizer(metadata: metadata(["a b"]))
        #expect(try tokenizer.encode("aba") == [3, 1])
        #expect(throws: TokenizerError.missingMetadata(key: "tokenizer.ggml.merges")) { try Tokenizer(metadata: metadata([])) }
        #expect(throws: TokenizerError.malformedMerge(index: 0, text: "ab")) { try Tokenizer(metadata: metadata(["ab"])) }
        #expect(throws: TokenizerError.mergeOutsideVocabulary(index: 1, text: "b a")) {
            try Tokenizer(metadata: metadata(["a b", "b a"]))
        }
        // "c" has no token and no <0x63> byte token.
        #expect(throws: TokenizerError.unencodableByte(0x63, offset: 1)) { try tokenizer.encode("ac") }
    }
}
