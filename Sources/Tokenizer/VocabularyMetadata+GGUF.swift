import GGUF

extension VocabularyMetadata {
    /// Reads the `tokenizer.*` keys of GGUF metadata (no validation beyond value types:
    /// ``Tokenizer/init(metadata:)`` validates).
    ///
    /// - Throws: ``TokenizerError/missingMetadata(key:)`` without `tokenizer.ggml.model` or
    ///   `tokenizer.ggml.tokens`; ``TokenizerError/wrongMetadataType(key:expected:found:)`` for a
    ///   value or array element of the wrong type (tokens not strings, token types not integers,
    ///   scores not floats, …).
    public init(gguf metadata: GGUFMetadata) throws(TokenizerError) {
        do {
            let merges = try metadata.stringArrayIfPresent("tokenizer.ggml.merges")
            var specialIDs: [String: Int] = [:]
            for key in Self.specialTokenKeys {
                if let id = try metadata.integerIfPresent(key) { specialIDs[key] = id }
            }
            self.init(
                model: try metadata.string("tokenizer.ggml.model"),
                preTokenizer: try metadata.stringIfPresent("tokenizer.ggml.pre"),
                tokens: try metadata.stringArray("tokenizer.ggml.tokens"),
                tokenTypes: try metadata.intArrayIfPresent("tokenizer.ggml.token_type"),
                scores: try metadata.floatArrayIfPresent("tokenizer.ggml.scores"),
                merges: merges ?? [],
                specialTokenIDs: specialIDs,
                addBOSToken: try metadata.boolIfPresent("tokenizer.ggml.add_bos_token"),
                chatTemplate: try metadata.stringIfPresent("tokenizer.chat_template"))
        } catch {
            switch error {
            case .missingKey(let key): throw .missingMetadata(key: key)
            case .typeMismatch(let key, let expected, let found):
                throw .wrongMetadataType(key: key, expected: expected, found: found)
            default: throw .metadata(error)
            }
        }
    }
}

extension Tokenizer {
    /// The tokenizer described by a GGUF file's metadata.
    ///
    /// - Throws: any ``TokenizerError`` of ``VocabularyMetadata/init(gguf:)`` and ``init(metadata:)``.
    public init(file: GGUFFile) throws(TokenizerError) {
        try self.init(metadata: VocabularyMetadata(gguf: file.metadata))
    }
}
