import Decoding
import GGUF
import Testing
import Tokenizer

@Suite struct StreamingDetokenizerTests {
    @Test func holdsBackAnUnfinishedCharacter() throws {
        let tokenizer = try Tokenizer(metadata: TinyVocabulary.metadata())
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        // "日" is E6 97 A5; feed it byte token by byte token.
        #expect(try stream.append(TinyVocabulary.id("a")) == "a")
        #expect(try stream.append(TinyVocabulary.byteID(0xE6)) == "")
        #expect(try stream.append(TinyVocabulary.byteID(0x97)) == "")
        #expect(stream.heldBackBytes == [0xE6, 0x97])
        #expect(try stream.append(TinyVocabulary.byteID(0xA5)) == "日")
        #expect(stream.finish() == "")
    }

    @Test func invalidBytesBecomeReplacementCharacters() throws {
        let tokenizer = try Tokenizer(metadata: TinyVocabulary.metadata())
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        #expect(try stream.append(TinyVocabulary.byteID(0x80)) == "\u{FFFD}")
        #expect(try stream.append(TinyVocabulary.byteID(0xE6)) == "")
        // A broken sequence is emitted at once, not held forever.
        #expect(try stream.append(TinyVocabulary.id("b")) == "\u{FFFD}b")
        #expect(try stream.append(TinyVocabulary.byteID(0xF0)) == "")
        #expect(try stream.append(TinyVocabulary.byteID(0x9F)) == "")
        #expect(stream.finish() == "\u{FFFD}")
        #expect(stream.heldBackBytes.isEmpty)
    }

    @Test func outOfRangeIDIsATypedError() throws {
        let tokenizer = try Tokenizer(metadata: TinyVocabulary.metadata())
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        #expect(throws: TokenizerError.self) { try stream.append(tokenizer.vocabularySize) }
    }

    @Test(.enabled(if: DefaultModel.modelTestsEnabled), arguments: 0..<10)
    func neverEmitsASplitCharacter(seed: Int) throws {
        let tokenizer = try ModelTokenizer.load()
        var rng = SplitMix64(seed: UInt64(500 + seed))
        let text = RandomText.make(length: 300, using: &rng)
        let ids = try tokenizer.encode(text)
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        var output = ""
        var splitTokens = 0
        for id in ids {
            let bytes = tokenizer.tokenBytes(id)
            if String(validating: bytes, as: UTF8.self) == nil { splitTokens += 1 }
            let piece = try stream.append(id)
            // Each piece is whole characters: its bytes are exactly the text's next bytes.
            #expect(!piece.unicodeScalars.contains("\u{FFFD}"))
            output += piece
        }
        output += stream.finish()
        #expect(Array(output.utf8) == Array(text.utf8))
        #expect(splitTokens > 0, "the text should exercise tokens that end inside a character")
    }

    @Test(.enabled(if: DefaultModel.modelTestsEnabled))
    func skipsControlTokensWhenAsked() throws {
        let tokenizer = try ModelTokenizer.load()
        let ids = try tokenizer.encode("<|im_start|>user\nHi<|im_end|>", parseSpecial: true)
        var stream = StreamingDetokenizer(tokenizer: tokenizer, skipSpecialTokens: true)
        var output = ""
        for id in ids { output += try stream.append(id) }
        #expect(output == "user\nHi")
    }
}
