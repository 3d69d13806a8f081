import Decoding
import GGUF
import Testing
import Tokenizer

/// decode ∘ encode is the identity on bytes, for every token and for arbitrary text.
@Suite(.enabled(if: DefaultModel.modelTestsEnabled))
struct RoundTripTests {
    @Test func everyTokenRoundTrips() throws {
        let tokenizer = try ModelTokenizer.load()
        #expect(tokenizer.vocabularySize == 49_152)
        var failures: [Int] = []
        for id in 0..<tokenizer.vocabularySize {
            let bytes = try tokenizer.decode([id])
            let again = try tokenizer.decode(try tokenizer.encode(bytes: bytes, parseSpecial: true))
            if again != bytes { failures.append(id) }
        }
        #expect(failures.isEmpty, "ids that do not round-trip: \(failures.prefix(20))")
    }

    @Test func singleTokenStringsEncodeToThemselvesMostly() throws {
        // A sanity bound on the merge table: almost every normal token's bytes encode back to it.
        let tokenizer = try ModelTokenizer.load()
        var same = 0, normal = 0
        for id in 0..<tokenizer.vocabularySize where tokenizer.tokenType(id) == .normal {
            normal += 1
            if try tokenizer.encode(bytes: tokenizer.tokenBytes(id)) == [id] { same += 1 }
        }
        #expect(Double(same) > 0.95 * Double(normal), "\(same) of \(normal)")
    }

    @Test(arguments: 0..<20)
    func randomUnicodeRoundTrips(seed: Int) throws {
        let tokenizer = try ModelTokenizer.load()
        var rng = SplitMix64(seed: UInt64(seed))
        let text = RandomText.make(length: 400, using: &rng)
        let ids = try tokenizer.encode(text)
        #expect(try tokenizer.decode(ids) == Array(text.utf8))
        let parsed = try tokenizer.encode(text, parseSpecial: true)
        #expect(try tokenizer.decode(parsed) == Array(text.utf8))
    }

    @Test(arguments: 0..<10)
    func randomBytesRoundTrip(seed: Int) throws {
        let tokenizer = try ModelTokenizer.load()
        var rng = SplitMix64(seed: UInt64(1_000 + seed))
        let encodable = (0...255).map(UInt8.init).filter { byte in
            (try? tokenizer.encode(bytes: [byte])) != nil
        }
        let bytes = (0..<300).map { _ in encodable.randomElement(using: &rng)! }
        #expect(try tokenizer.decode(try tokenizer.encode(bytes: bytes)) == bytes)
    }

    @Test func unencodableControlCharacterIsATypedError() throws {
        let tokenizer = try ModelTokenizer.load()
        #expect(throws: TokenizerError.unencodableByte(0x04, offset: 5)) {
            try tokenizer.encode("hello\u{4}")
        }
        // U+50000 (plane 5, unassigned) starts with 0xF1, a byte the vocabulary has no token for.
        #expect(throws: TokenizerError.unencodableByte(0xF1, offset: 1)) {
            try tokenizer.encode("a\u{50000}")
        }
        #expect(throws: TokenizerError.unencodableByte(0xFF, offset: 1)) {
            try tokenizer.encode(bytes: [0x61, 0xFF])
        }
    }

    @Test func oneMegabyteRoundTrips() throws {
        let tokenizer = try ModelTokenizer.load()
        var rng = SplitMix64(seed: 42)
        var text = ""
        while text.utf8.count < 1_000_000 {
            text += RandomText.make(length: 200, using: &rng)
            text += " The quick brown fox jumps over the lazy dog. 1234567890 <|im_start|>\n"
        }
        // Unparsed, the special-token text does not cut the input into pieces: one 1 MB stretch
        // goes through the pre-tokenizer (this once took minutes when PCRE2 re-checked UTF-8 on
        // every match).
        let plain = try tokenizer.encode(text, parseSpecial: false)
        #expect(plain.count > 100_000)
        #expect(try tokenizer.decode(plain) == Array(text.utf8))
        let parsed = try tokenizer.encode(text, parseSpecial: true)
        #expect(parsed.count < plain.count)
        #expect(try tokenizer.decode(parsed) == Array(text.utf8))
    }

    @Test(arguments: ["x", " ", "\n", "é", "日", "\u{1F600}", "ab"])
    func tenThousandRepeatsRoundTrip(unit: String) throws {
        let tokenizer = try ModelTokenizer.load()
        let text = String(repeating: unit, count: 10_000)
        let ids = try tokenizer.encode(text)
        #expect(try tokenizer.decode(ids) == Array(text.utf8))
    }
}
