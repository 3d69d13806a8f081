import Tokenizer

/// A small hand-made SentencePiece vocabulary whose encodings can be worked out by hand:
/// `<unk>` 0, `<s>` 1, `</s>` 2, the 256 byte tokens `<0x00>`…`<0xFF>` at 3…258, then pieces
/// with scores (higher merges first), and one user-defined token.
enum TinySentencePiece {
    static let pieces: [(text: String, score: Float, type: Int)] = [
        ("▁", -10, 1), ("a", -20, 1), ("b", -20, 1), ("c", -20, 1), ("ab", -1, 1), ("ba", -1, 1),
        ("bc", -2, 1), ("abc", -3, 1), ("▁a", -5, 1), ("<u>", 0, 4),
    ]
    static let byteTexts: [String] = (0..<256).map { byte in
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count < 2 ? "0" + hex : hex) + ">"
    }

    static var tokens: [String] { ["<unk>", "<s>", "</s>"] + byteTexts + pieces.map(\.text) }

    /// The vocabulary's metadata; `tokens`, `scores`, `types` replace the defaults.
    static func metadata(
        tokens: [String]? = nil, types: [Int]? = nil, scores: [Float]?? = .none, addSpacePrefix: Bool? = nil,
        special: [String: Int] = [
            "tokenizer.ggml.bos_token_id": 1, "tokenizer.ggml.eos_token_id": 2, "tokenizer.ggml.unknown_token_id": 0,
        ]
    ) -> VocabularyMetadata {
        let allTypes = [2, 3, 3] + Array(repeating: 6, count: 256) + pieces.map(\.type)
        let allScores: [Float] = [0, 0, 0] + Array(repeating: 0, count: 256) + pieces.map(\.score)
        return VocabularyMetadata(
            model: "llama", preTokenizer: "default", tokens: tokens ?? self.tokens, tokenTypes: types ?? allTypes,
            scores: scores ?? allScores, merges: [], specialTokenIDs: special, addSpacePrefix: addSpacePrefix)
    }

    static func tokenizer(addSpacePrefix: Bool? = nil) throws -> Tokenizer {
        try Tokenizer(metadata: metadata(addSpacePrefix: addSpacePrefix))
    }

    /// The id of a piece's text.
    static func id(_ text: String) -> Int { tokens.firstIndex(of: text)! }

    /// The id of byte `byte`'s `<0xHH>` token.
    static func byteID(_ byte: UInt8) -> Int { 3 + Int(byte) }
}
