extension Tokenizer {
    /// The bytes of `ids`, concatenated. Bytes, not a `String`: the ids may end inside a UTF-8
    /// character (use ``StreamingDetokenizer`` for text as it comes, or `String(decoding:as:)`).
    ///
    /// - Parameter skipSpecialTokens: leave out control tokens (their text is markup).
    /// - Throws: ``TokenizerError/tokenOutOfRange(id:vocabularySize:)`` for an id outside the vocabulary.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws(TokenizerError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids {
            guard id >= 0, id < vocabularySize else { throw .tokenOutOfRange(id: id, vocabularySize: vocabularySize) }
            if skipSpecialTokens, tokenTypes[id] == .control { continue }
            bytes.append(contentsOf: tokenByteTable[id])
        }
        return bytes
    }

    /// The text of `ids`, with U+FFFD for bytes that are not well-formed UTF-8.
    /// - Throws: as ``decode(_:skipSpecialTokens:)``.
    public func decodeText(_ ids: [Int], skipSpecialTokens: Bool = false) throws(TokenizerError) -> String {
        String(decoding: try decode(ids, skipSpecialTokens: skipSpecialTokens), as: UTF8.self)
    }
}
