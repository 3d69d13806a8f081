import GGUF

extension VocabularyMetadata {
    /// Reads the `tokenizer.*` keys of GGUF metadata (no validation beyond value types:
    /// ``Tokenizer/init(metadata:)`` validates).
    ///
    /// - Throws: ``TokenizerError/missingMetadata(key:)`` without `tokenizer.ggml.model` or
    ///   `tokenizer.ggml.tokens`; ``TokenizerError/wrongMetadataType(key:expected:found:)`` for a
    ///   value or array element of the wrong type (tokens not strings, token types not integers,
    ///   scores neither FLOAT32 nor INT32, …).
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
                scores: try Self.scores(in: metadata),
                merges: merges ?? [],
                specialTokenIDs: specialIDs,
                addBOSToken: try metadata.boolIfPresent("tokenizer.ggml.add_bos_token"),
                addEOSToken: try metadata.boolIfPresent("tokenizer.ggml.add_eos_token"),
                addSpacePrefix: try metadata.boolIfPresent("tokenizer.ggml.add_space_prefix"),
                chatTemplate: try metadata.stringIfPresent("tokenizer.chat_template"),
                modelName: try metadata.stringIfPresent("general.name"))
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

extension VocabularyMetadata {
    /// `tokenizer.ggml.scores` as floats: FLOAT32 (or FLOAT64) elements, or INT32 ones as llama.cpp
    /// also accepts.
    private static func scores(in metadata: GGUFMetadata) throws(GGUFError) -> [Float]? {
        let key = "tokenizer.ggml.scores"
        if case .array(.int32(let values)) = metadata[key] { return values.map { Float($0) } }
        do {
            return try metadata.floatArrayIfPresent(key)
        } catch .typeMismatch(_, _, let found) {
            throw .typeMismatch(key: key, expected: "ARRAY of FLOAT32 or INT32", found: found)
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
