extension Tokenizer {
    /// The SentencePiece encoder of `metadata`, validated: scores are required (merges follow
    /// them) and must not be NaN, and no two tokens may share a text (llama.cpp refuses
    /// duplicates too). A missing byte token is an error only when a text needs it.
    static func sentencePieceEncoder(_ metadata: VocabularyMetadata) throws(TokenizerError) -> SentencePieceEncoder {
        guard let scores = metadata.scores else { throw .missingMetadata(key: "tokenizer.ggml.scores") }
        if let id = scores.firstIndex(where: \.isNaN) { throw .invalidScore(id: id) }
        let table = TokenTextTable(texts: metadata.tokens)
        if let duplicate = table.firstDuplicate {
            throw .duplicateToken(text: metadata.tokens[duplicate.second], firstID: duplicate.first, secondID: duplicate.second)
        }
        return SentencePieceEncoder(
            table: table, scores: scores, addsSpacePrefix: metadata.addSpacePrefix ?? true)
    }

    /// The Gemma 4 encoder of `metadata`: merges are required and must be made of tokens, and no
    /// two tokens may share a text.
    static func characterPairEncoder(_ metadata: VocabularyMetadata) throws(TokenizerError) -> CharacterPairEncoder {
        guard !metadata.merges.isEmpty else { throw .missingMetadata(key: "tokenizer.ggml.merges") }
        let table = TokenTextTable(texts: metadata.tokens)
        if let duplicate = table.firstDuplicate {
            throw .duplicateToken(text: metadata.tokens[duplicate.second], firstID: duplicate.first, secondID: duplicate.second)
        }
        return try CharacterPairEncoder(table: table, merges: metadata.merges)
    }
}
