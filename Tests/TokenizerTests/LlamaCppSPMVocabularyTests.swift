import Decoding
import Foundation
import GGUF
import Testing
import Tokenizer

/// llama.cpp's SentencePiece test vocabularies (`.cache/llama-cpp/vocab`, see
/// ``LlamaCppVocabulary``): every case gives llama.cpp's ids exactly (`test-tokenizer-0`:
/// `common_tokenize(ctx, text, add_special = false, parse_special = false)`, which still puts the
/// SentencePiece space prefix first), and decoding gives the text back.
///
/// Round-trip exceptions, all llama.cpp's behaviour too: a `▁` (U+2581) in the text decodes as a
/// space (SentencePiece's escaping), and the space put after a user-defined token (Phi-3's
/// `</s>`) comes back in the text. Neither occurs in the cases or the random texts below.
@Suite struct LlamaCppSPMVocabularyTests {
    /// SentencePiece vocabularies with llama.cpp cases.
    static let withCases = ["llama-spm", "phi-3"]
    /// SentencePiece vocabularies without cases (only loading and round trips are checked).
    static let withoutCases = ["baichuan"]

    @Test(arguments: withCases)
    func everyCaseMatchesLlamaCpp(_ name: String) throws {
        let tokenizer = try LlamaCppVocabulary.tokenizer(name)
        let cases = try LlamaCppVocabulary.cases(name)
        var matched = 0
        for reference in cases {
            let ids = try tokenizer.encode(reference.text)
            #expect(ids == reference.ids, "\(name): \(reference)")
            if ids == reference.ids { matched += 1 }
            #expect(try tokenizer.decodeText(ids) == reference.text, "\(name): \(reference)")
        }
        print("llama.cpp vocabulary \(name): \(matched)/\(cases.count) cases match")
        #expect(!cases.isEmpty)
    }

    /// `Fixtures/sentencepiece-reference.json`: 150 seeded random texts (scripts, emoji, whitespace
    /// runs, special-token texts) and llama.cpp's ids for them, with and without special tokens.
    struct Reference: Decodable {
        struct Modes: Decodable {
            let plain: [[Int]]
            let special: [[Int]]
        }
        let texts: [String]
        let ids: [String: Modes]
    }

    static let reference: Reference? = {
        guard let data = FileManager.default.contents(atPath: Fixtures.url("sentencepiece-reference.json").path) else {
            return nil
        }
        return try? JSONDecoder().decode(Reference.self, from: data)
    }()

    /// Gemma 3 270M (`.models/gemma-3-270m-q4_k_m.gguf`), the package's second model, if fetched.
    static let gemma3 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".models/gemma-3-270m-q4_k_m.gguf")

    static func tokenizer(_ name: String) throws -> Tokenizer {
        name == "gemma-3" ? try Tokenizer(file: try GGUFFile(contentsOf: gemma3)) : try LlamaCppVocabulary.tokenizer(name)
    }

    static let gemma3IfPresent = FileManager.default.fileExists(atPath: gemma3.path) ? ["gemma-3"] : []

    @Test(arguments: withCases + withoutCases + gemma3IfPresent)
    func randomTextsMatchLlamaCpp(_ name: String) throws {
        let reference = try #require(Self.reference, "Fixtures/sentencepiece-reference.json")
        let modes = try #require(reference.ids[name])
        let tokenizer = try Self.tokenizer(name)
        var matched = 0
        for (index, text) in reference.texts.enumerated() {
            let plain = try tokenizer.encode(text)
            let special = try tokenizer.encode(text, parseSpecial: true)
            #expect(plain == modes.plain[index], "\(name): \(text.debugDescription)")
            #expect(special == modes.special[index], "\(name), special: \(text.debugDescription)")
            if plain == modes.plain[index] { matched += 1 }
            if special == modes.special[index] { matched += 1 }
        }
        print("llama.cpp random texts \(name): \(matched)/\(2 * reference.texts.count) match")
    }

    @Test(arguments: withCases + withoutCases)
    func loadsAsSentencePieceWithLlamaCppDefaults(_ name: String) throws {
        let tokenizer = try LlamaCppVocabulary.tokenizer(name)
        #expect(tokenizer.preTokenizer == nil)
        #expect(tokenizer.addsSpacePrefix)
        #expect(tokenizer.addsBOSByDefault)
        #expect(!tokenizer.addsEOSByDefault)
        #expect(tokenizer.specialTokens.bos == 1)
        #expect(tokenizer.tokenBytes(tokenizer.specialTokens.bos!) == Array("<s>".utf8))
        let eos = try #require(tokenizer.specialTokens.eos)
        #expect(tokenizer.specialTokens.endOfTurn.contains(eos))
    }

    @Test(arguments: withCases + withoutCases + gemma3IfPresent)
    func randomTextRoundTrips(_ name: String) throws {
        let tokenizer = try Self.tokenizer(name)
        var rng = SplitMix64(seed: 2_581)
        for _ in 0..<50 {
            let text = RandomText.make(length: Int.random(in: 1...60, using: &rng), using: &rng)
            let ids = try tokenizer.encode(text)
            #expect(try tokenizer.decodeText(ids) == text, "\(name): \(text.debugDescription)")
            var stream = StreamingDetokenizer(tokenizer: tokenizer)
            var streamed = ""
            for id in ids { streamed += try stream.append(id) }
            streamed += stream.finish()
            #expect(streamed == (tokenizer.addsSpacePrefix ? " " : "") + text, "\(name): the stream keeps the prefix space")
        }
    }

    @Test(arguments: withCases + withoutCases)
    func invalidUTF8RoundTripsThroughByteTokens(_ name: String) throws {
        let tokenizer = try LlamaCppVocabulary.tokenizer(name)
        let bytes: [UInt8] = [0x61, 0xFF, 0xC3, 0x28, 0x80, 0xE2, 0x82, 0x62]
        #expect(try tokenizer.decode(try tokenizer.encode(bytes: bytes)) == bytes)
    }

    @Test func llamaSpmSpecialTokensAndSpacesAfterThem() throws {
        let tokenizer = try LlamaCppVocabulary.tokenizer("llama-spm")
        #expect(tokenizer.specialTokens.unknown == 0)
        #expect(tokenizer.specialTokens.endOfTurn == [2])
        // "Hello" after a parsed special token gets the prefix space again: ▁Hello = 15043.
        #expect(try tokenizer.encode("<s>Hello</s>Hello", parseSpecial: true) == [1, 15043, 2, 15043])
        #expect(try tokenizer.encode("Hello", addBOS: tokenizer.addsBOSByDefault) == [1, 15043])
    }

    @Test func phi3EndTokensAreTheEndOfGenerationSet() throws {
        let tokenizer = try LlamaCppVocabulary.tokenizer("phi-3")
        func ids(_ text: String) -> Int { (0..<tokenizer.vocabularySize).first { tokenizer.tokenText($0) == text }! }
        #expect(tokenizer.specialTokens.eos == 32000)
        #expect(tokenizer.specialTokens.endOfTurn == [32000, ids("<|end|>"), ids("</s>")])
        // </s> is user-defined in the file; llama.cpp makes every end marker a control token.
        #expect(tokenizer.isControl(ids("</s>")))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: gemma3.path)))
    func gemma3LoadsWithoutASpacePrefix() throws {
        let tokenizer = try Self.tokenizer("gemma-3")
        #expect(tokenizer.vocabularySize == 262_144)
        #expect(!tokenizer.addsSpacePrefix && tokenizer.addsBOSByDefault)
        #expect(tokenizer.specialTokens.bos == 2 && tokenizer.specialTokens.eos == 1)
        let endOfTurn = try #require((0..<tokenizer.vocabularySize).first { tokenizer.tokenText($0) == "<end_of_turn>" })
        #expect(tokenizer.specialTokens.endOfTurn.contains(endOfTurn))
        #expect(try tokenizer.encode("Hello world") == [9259, 1902])
    }
}
