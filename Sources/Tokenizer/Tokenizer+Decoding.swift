extension Tokenizer {
    /// The bytes of `ids`, concatenated. Bytes, not a `String`: the ids may end inside a UTF-8
    /// character (use ``StreamingDetokenizer`` for text as it comes, or `String(decoding:as:)`).
    ///
    /// When the vocabulary adds a space prefix (``addsSpacePrefix``, SentencePiece), one leading
    /// space of the first id's bytes is left out, as llama.cpp's `llama_detokenize`, so
    /// `decode(encode(text)) == text`; a first id that is BOS (or any token without a leading
    /// space) keeps the space that follows it. ``tokenBytes(_:)`` and ``StreamingDetokenizer``
    /// give every piece whole, as llama.cpp's `llama_token_to_piece`.
    ///
    /// - Parameter skipSpecialTokens: leave out control tokens (their text is markup).
    /// - Throws: ``TokenizerError/tokenOutOfRange(id:vocabularySize:)`` for an id outside the vocabulary.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws(TokenizerError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for (position, id) in ids.enumerated() {
            guard id >= 0, id < vocabularySize else { throw .tokenOutOfRange(id: id, vocabularySize: vocabularySize) }
            if skipSpecialTokens, tokenTypes[id] == .control { continue }
            let piece = tokenByteTable[id]
            if position == 0, addsSpacePrefix, piece.first == 0x20 {
                bytes.append(contentsOf: piece.dropFirst())
            } else {
                bytes.append(contentsOf: piece)
            }
        }
        return bytes
    }

    /// The text of `ids`, with U+FFFD for bytes that are not well-formed UTF-8.
    /// - Throws: as ``decode(_:skipSpecialTokens:)``.
    public func decodeText(_ ids: [Int], skipSpecialTokens: Bool = false) throws(TokenizerError) -> String {
        String(decoding: try decode(ids, skipSpecialTokens: skipSpecialTokens), as: UTF8.self)
    }
}
