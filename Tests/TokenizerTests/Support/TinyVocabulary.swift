import Tokenizer

/// A small hand-made byte-level BPE vocabulary: every byte (GPT-2 alphabet), a few merges, and
/// special tokens, so encoding results can be worked out by hand.
enum TinyVocabulary {
    /// The 256 single-byte tokens, in byte order (GPT-2 alphabet: byte 0x20 is "Ġ").
    static let byteTexts: [String] = (0..<256).map { byte in
        let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
        if printable { return String(Character(Unicode.Scalar(UInt8(byte)))) }
        let position = (0..<byte).filter { !((0x21...0x7E).contains($0) || (0xA1...0xAC).contains($0) || (0xAE...0xFF).contains($0)) }.count
        return String(Character(Unicode.Scalar(UInt32(256 + position))!))
    }

    static let specials: [(String, Int)] = [
        ("<|im_start|>", 3), ("<|im_end|>", 3), ("<|im", 3), ("<user>", 4),
    ]
    static let merged = ["bc", "ab", "abc", "aa", "Ġa", "Ġab"]
    static let merges = ["b c", "a b", "a bc", "a a", "Ġ a", "Ġa b"]

    /// Ids: specials 0…3, bytes 4…259, merged tokens from 260.
    static func metadata(
        tokens: [String]? = nil, types: [Int]? = nil, merges: [String]? = nil, pre: String = "smollm",
        special: [String: Int] = ["tokenizer.ggml.bos_token_id": 0, "tokenizer.ggml.eos_token_id": 1]
    ) -> VocabularyMetadata {
        let allTokens = specials.map(\.0) + byteTexts + merged
        let allTypes = specials.map(\.1) + Array(repeating: 1, count: 256 + merged.count)
        return VocabularyMetadata(
            model: "gpt2", preTokenizer: pre, tokens: tokens ?? allTokens, tokenTypes: types ?? allTypes,
            merges: merges ?? self.merges, specialTokenIDs: special)
    }

    static func id(_ text: String) -> Int {
        let all = specials.map(\.0) + byteTexts + merged
        return all.firstIndex(of: text)!
    }

    static func byteID(_ byte: UInt8) -> Int { specials.count + Int(byte) }
}
