extension TokenizerError: CustomStringConvertible {
    /// One line saying what went wrong, for users.
    public var description: String {
        switch self {
        case .missingMetadata(let key): return "vocabulary metadata has no '\(key)'"
        case .wrongMetadataType(let key, let expected, let found):
            return "metadata '\(key)' should be \(expected), found \(found)"
        case .metadata(let error): return "vocabulary metadata: \(error)"
        case .unsupportedModel(let name):
            return "unsupported tokenizer model '\(name)' (supported: \(TokenizerModel.supportedNames.joined(separator: ", ")))"
        case .unsupportedPreTokenizer(let name):
            return "unsupported pre-tokenizer '\(name)' (supported: \(PreTokenizer.supportedNames.joined(separator: ", ")))"
        case .emptyVocabulary: return "the vocabulary has no tokens"
        case .lengthMismatch(let key, let count, let tokenCount):
            return "'\(key)' has \(count) entries for \(tokenCount) tokens"
        case .invalidTokenType(let id, let value): return "token \(id) has invalid type \(value)"
        case .specialTokenOutOfRange(let key, let id, let size):
            return "'\(key)' = \(id) is outside the vocabulary of \(size) tokens"
        case .invalidByteToken(let id, let text): return "byte token \(id) is '\(text)', not '<0xHH>'"
        case .malformedMerge(let index, let text): return "merge \(index) '\(text)' is not 'left right'"
        case .mergeOutsideVocabulary(let index, let text):
            return "merge \(index) '\(text)' uses or makes a token not in the vocabulary"
        case .invalidScore(let id): return "token \(id) has a NaN score"
        case .duplicateToken(let text, let first, let second):
            return "tokens \(first) and \(second) have the same text '\(text)'"
        case .unencodableByte(let byte, let offset):
            let hex = String(byte, radix: 16, uppercase: true)
            return "no token encodes byte 0x\(hex.count < 2 ? "0" + hex : hex) at offset \(offset)"
        case .tokenOutOfRange(let id, let size): return "token id \(id) is outside the vocabulary of \(size) tokens"
        case .preTokenizerFailed(let message): return "pre-tokenizer failed: \(message)"
        case .templateSyntax(let message, let line): return "chat template syntax error at line \(line): \(message)"
        case .unsupportedTemplateConstruct(let construct, let line):
            return "chat template uses \(construct) at line \(line), which this Jinja interpreter does not support"
        case .templateRuntime(let message, let line): return "chat template failed at line \(line): \(message)"
        case .templateException(let message): return "the chat template refused the conversation: \(message)"
        }
    }
}
