import Testing
import Tokenizer

/// Encoding on a hand-made vocabulary, where every expected id is worked out by hand.
@Suite struct BytePairEncodingTests {
    let tokenizer: Tokenizer

    init() throws { tokenizer = try Tokenizer(metadata: TinyVocabulary.metadata()) }

    private func ids(_ texts: [String]) -> [Int] { texts.map(TinyVocabulary.id) }

    @Test(arguments: [
        // Lowest rank first: "b c" (0) before "a b" (1), then "a bc" (2).
        ("abc", ["abc"]),
        ("ab", ["ab"]),
        ("abab", ["ab", "ab"]),
        // Equal ranks: the leftmost pair merges first.
        ("aaa", ["aa", "a"]),
        ("aaaa", ["aa", "aa"]),
        // The space stays with the next word; "a b" (1) outranks "Ġ a" (4), and no "Ġ ab" exists.
        ("ab ab", ["ab", "Ġ", "ab"]),
        (" a", ["Ġa"]),
        ("cab", ["c", "ab"]),
    ])
    func mergesByRank(text: String, expected: [String]) throws {
        #expect(try tokenizer.encode(text) == ids(expected))
    }

    @Test func specialTokensLongestFirstWhenParsed() throws {
        let parsed = try tokenizer.encode("x<|im_start|>a<|im", parseSpecial: true)
        #expect(parsed == [TinyVocabulary.byteID(UInt8(ascii: "x")), 0, TinyVocabulary.id("a"), 2])
        let plain = try tokenizer.encode("<|im", parseSpecial: false)
        #expect(plain == Array("<|im".utf8).map(TinyVocabulary.byteID))
    }

    @Test func userDefinedTokensAreAlwaysOneID() throws {
        #expect(try tokenizer.encode("a<user>", parseSpecial: false) == [TinyVocabulary.id("a"), 3])
    }

    @Test func addsBOSWhenAsked() throws {
        #expect(try tokenizer.encode("a", addBOS: true) == [0, TinyVocabulary.id("a")])
    }

    @Test func invalidUTF8IsEncodedBytewise() throws {
        let bytes: [UInt8] = [0x61, 0xE6, 0x97, 0x62, 0x80, 0xFF, 0xC3]
        let ids = try tokenizer.encode(bytes: bytes)
        #expect(try tokenizer.decode(ids) == bytes)
        #expect(ids == [TinyVocabulary.id("a")] + [0xE6, 0x97].map(TinyVocabulary.byteID)
            + [TinyVocabulary.id("b")] + [0x80, 0xFF, 0xC3].map(TinyVocabulary.byteID))
    }

    @Test func byteWithoutATokenIsATypedError() throws {
        var tokens = TinyVocabulary.metadata().tokens
        tokens[TinyVocabulary.byteID(0x04)] = "<removed>"
        var types = TinyVocabulary.metadata().tokenTypes!
        types[TinyVocabulary.byteID(0x04)] = 5
        let partial = try Tokenizer(metadata: TinyVocabulary.metadata(tokens: tokens, types: types))
        #expect(throws: TokenizerError.unencodableByte(0x04, offset: 2)) {
            try partial.encode("ab\u{4}")
        }
    }

    @Test func decodeRejectsOutOfRangeIDs() {
        #expect(throws: TokenizerError.tokenOutOfRange(id: 10_000, vocabularySize: tokenizer.vocabularySize)) {
            try tokenizer.decode([1, 10_000])
        }
        #expect(throws: TokenizerError.tokenOutOfRange(id: -1, vocabularySize: tokenizer.vocabularySize)) {
            try tokenizer.decode([-1])
        }
    }

    @Test func decodeCanSkipControlTokens() throws {
        let ids = try tokenizer.encode("<|im_start|>ab<user>", parseSpecial: true)
        #expect(try tokenizer.decode(ids, skipSpecialTokens: true) == Array("ab<user>".utf8))
        #expect(try tokenizer.decode(ids) == Array("<|im_start|>ab<user>".utf8))
    }

    @Test func emptyTextHasNoTokens() throws {
        #expect(try tokenizer.encode("") == [])
        #expect(try tokenizer.encode("", addBOS: true) == [0])
    }
}
