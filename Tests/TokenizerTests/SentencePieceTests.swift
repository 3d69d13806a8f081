import GGUF
import Testing
import Tokenizer

/// SentencePiece encoding and decoding on a hand-made vocabulary (``TinySentencePiece``), each
/// expectation worked out by hand from llama.cpp's `llm_tokenizer_spm_session`.
@Suite struct SentencePieceTests {
    private let id = TinySentencePiece.id

    @Test func mergesTheBestScoredPairFirstAndKeepsMerging() throws {
        // ▁ a b c: "ab" (-1) beats "bc" (-2) and "▁a" (-5); then "abc" (-3) joins ab + c.
        let tokenizer = try TinySentencePiece.tokenizer()
        #expect(try tokenizer.encode("abc") == [id("▁"), id("abc")])
    }

    @Test func equalScoresMergeLeftmostFirst() throws {
        let tokenizer = try TinySentencePiece.tokenizer(addSpacePrefix: false)
        #expect(try tokenizer.encode("aba") == [id("ab"), id("a")])
        #expect(try tokenizer.encode("bab") == [id("ba"), id("b")])
    }

    @Test func spacesBecomeTheSpaceMarkAndAPrefixIsAdded() throws {
        let tokenizer = try TinySentencePiece.tokenizer()
        #expect(tokenizer.addsSpacePrefix)
        #expect(try tokenizer.encode("a") == [id("▁a")])
        #expect(try tokenizer.encode("a b") == [id("▁a"), id("▁"), id("b")])
        #expect(try tokenizer.encode(" a") == [id("▁"), id("▁a")])
        #expect(try tokenizer.encode("") == [])
        let plain = try TinySentencePiece.tokenizer(addSpacePrefix: false)
        #expect(!plain.addsSpacePrefix)
        #expect(try plain.encode("a b") == [id("a"), id("▁"), id("b")])
    }

    @Test func charactersWithoutATokenFallBackToBytes() throws {
        let tokenizer = try TinySentencePiece.tokenizer(addSpacePrefix: false)
        #expect(try tokenizer.encode("é") == [TinySentencePiece.byteID(0xC3), TinySentencePiece.byteID(0xA9)])
        #expect(try tokenizer.encode("ax") == [id("a"), TinySentencePiece.byteID(0x78)])
        // Invalid UTF-8: each stray byte is a symbol of its own.
        #expect(try tokenizer.encode(bytes: [0xA9, 0x61]) == [TinySentencePiece.byteID(0xA9), id("a")])
    }

    /// Found by the `tokenizer` fuzz target: an invalid lead byte cut by llama.cpp's lead-byte
    /// lengths took the next bytes with it, the `▁` of a following space among them, so the space
    /// decoded as the three bytes of `▁`. A stray lead byte is now a symbol of its own.
    @Test func aStrayLeadByteDoesNotSwallowTheNextSpace() throws {
        let tokenizer = try TinySentencePiece.tokenizer(addSpacePrefix: false)
        let bytes: [UInt8] = [0xDF, 0x20, 0x61]
        #expect(try tokenizer.encode(bytes: bytes) == [TinySentencePiece.byteID(0xDF), id("▁a")])
        #expect(try tokenizer.decode(try tokenizer.encode(bytes: bytes)) == bytes)
        // A 4-byte lead that no character can start (0xF5) and a lead cut off by the end.
        for bytes: [UInt8] in [[0xF5, 0x20, 0x20, 0x61], [0x61, 0x20, 0xE2, 0x96]] {
            #expect(try tokenizer.decode(try tokenizer.encode(bytes: bytes)) == bytes)
        }
    }

    @Test func aSpaceIsPutFirstAfterEverySpecialToken() throws {
        let tokenizer = try TinySentencePiece.tokenizer()
        #expect(try tokenizer.encode("<s>a", parseSpecial: true) == [1, id("▁a")])
        #expect(try tokenizer.encode("a<s>a", parseSpecial: true) == [id("▁a"), 1, id("▁a")])
        // Control tokens are text unless parsed; user-defined tokens are always found.
        #expect(try tokenizer.encode("a<u>a") == [id("▁a"), id("<u>"), id("▁a")])
    }

    @Test func bosAndEosAreAddedOnRequest() throws {
        let tokenizer = try TinySentencePiece.tokenizer()
        #expect(tokenizer.addsBOSByDefault)
        #expect(!tokenizer.addsEOSByDefault)
        #expect(try tokenizer.encode("a", addBOS: true, addEOS: true) == [1, id("▁a"), 2])
    }

    @Test func decodingUndoesTheSpaceMarkAndStripsThePrefix() throws {
        let tokenizer = try TinySentencePiece.tokenizer()
        #expect(tokenizer.tokenBytes(id("▁a")) == Array(" a".utf8))
        for text in ["abc", "a b", " a", "xé", "  ab  "] {
            #expect(try tokenizer.decodeText(try tokenizer.encode(text)) == text)
        }
        // The space put after a user-defined token is not the text's: it comes back.
        #expect(try tokenizer.decodeText(try tokenizer.encode("a<u>a")) == "a<u> a")
        // After a special token the added space stays, as llama.cpp's detokenizer leaves it.
        #expect(try tokenizer.decodeText([id("▁a"), 1, id("▁a")]) == "a<s> a")
        #expect(try tokenizer.decodeText([1, id("▁a")]) == "<s> a")
        #expect(try tokenizer.decodeText([1, id("▁a")], skipSpecialTokens: true) == " a")
        let plain = try TinySentencePiece.tokenizer(addSpacePrefix: false)
        #expect(try plain.decodeText([id("▁a")]) == " a")
    }

    @Test func streamingJoinsByteTokensIntoCharacters() throws {
        let tokenizer = try TinySentencePiece.tokenizer()
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        #expect(try stream.append(id("▁a")) == " a")
        #expect(try stream.append(TinySentencePiece.byteID(0xC3)) == "")
        #expect(stream.heldBackBytes == [0xC3])
        #expect(try stream.append(TinySentencePiece.byteID(0xA9)) == "é")
        #expect(try stream.append(id("▁")) == " ")
        #expect(stream.finish() == "")
    }

    // MARK: - Bad vocabularies

    @Test func anUnknownModelNamesTheSupportedOnes() {
        var metadata = TinySentencePiece.metadata()
        metadata.model = "bert"
        #expect(throws: TokenizerError.unsupportedModel("bert")) { try Tokenizer(metadata: metadata) }
        #expect(TokenizerError.unsupportedModel("bert").description
            == "unsupported tokenizer model 'bert' (supported: gpt2, llama, gemma4)")
    }

    @Test func scoresAreRequired() {
        #expect(throws: TokenizerError.missingMetadata(key: "tokenizer.ggml.scores")) {
            try Tokenizer(metadata: TinySentencePiece.metadata(scores: .some(nil)))
        }
    }

    @Test func scoresOfTheWrongLength() {
        let count = TinySentencePiece.tokens.count
        #expect(throws: TokenizerError.lengthMismatch(key: "tokenizer.ggml.scores", count: 2, tokenCount: count)) {
            try Tokenizer(metadata: TinySentencePiece.metadata(scores: [0, 0]))
        }
    }

    @Test func aNaNScore() {
        var scores: [Float] = Array(repeating: 0, count: TinySentencePiece.tokens.count)
        scores[5] = .nan
        #expect(throws: TokenizerError.invalidScore(id: 5)) {
            try Tokenizer(metadata: TinySentencePiece.metadata(scores: scores))
        }
    }

    @Test func aDuplicateText() {
        var tokens = TinySentencePiece.tokens
        tokens[tokens.count - 2] = "ab"
        #expect(throws: TokenizerError.duplicateToken(text: "ab", firstID: TinySentencePiece.id("ab"), secondID: tokens.count - 2)) {
            try Tokenizer(metadata: TinySentencePiece.metadata(tokens: tokens))
        }
    }

    @Test func aMalformedByteToken() {
        var tokens = TinySentencePiece.tokens
        tokens[3] = "<0xZZ>"
        #expect(throws: TokenizerError.invalidByteToken(id: 3, text: "<0xZZ>")) {
            try Tokenizer(metadata: TinySentencePiece.metadata(tokens: tokens))
        }
    }

    @Test func aMissingByteTokenFailsOnlyTheTextThatNeedsIt() throws {
        var tokens = TinySentencePiece.tokens
        var types = [2, 3, 3] + Array(repeating: 6, count: 256) + TinySentencePiece.pieces.map(\.type)
        tokens[TinySentencePiece.byteID(0xC3)] = "unused-c3"
        types[TinySentencePiece.byteID(0xC3)] = 5
        let tokenizer = try Tokenizer(metadata: TinySentencePiece.metadata(tokens: tokens, types: types))
        #expect(try tokenizer.encode("ab") == [id("▁"), id("ab")])
        #expect(throws: TokenizerError.unencodableByte(0xC3, offset: 2)) { try tokenizer.encode("a é") }
    }

    @Test func scoresFromGGUFMayBeFloatOrInt32ButNothingElse() throws {
        func metadata(_ scores: GGUFValue) throws -> GGUFMetadata {
            let base = TinySentencePiece.metadata()
            return try GGUFMetadata(entries: [
                GGUFMetadata.Entry(key: "tokenizer.ggml.model", value: .string("llama")),
                GGUFMetadata.Entry(key: "tokenizer.ggml.tokens", value: .array(.string(base.tokens))),
                GGUFMetadata.Entry(
                    key: "tokenizer.ggml.token_type", value: .array(.int32(base.tokenTypes!.map { Int32($0) }))),
                GGUFMetadata.Entry(key: "tokenizer.ggml.scores", value: scores),
            ])
        }
        let count = TinySentencePiece.tokens.count
        let floats = try Tokenizer(metadata: VocabularyMetadata(gguf: metadata(.array(.float32(TinySentencePiece.metadata().scores!)))))
        let integers = try Tokenizer(metadata: VocabularyMetadata(gguf: metadata(.array(.int32(TinySentencePiece.metadata().scores!.map { Int32($0) })))))
        #expect(try floats.encode("abc") == integers.encode("abc"))
        #expect(throws: TokenizerError.wrongMetadataType(
            key: "tokenizer.ggml.scores", expected: "ARRAY of FLOAT32 or INT32", found: "ARRAY of STRING"))
        {
            try VocabularyMetadata(gguf: metadata(.array(.string(Array(repeating: "0", count: count)))))
        }
    }
}
