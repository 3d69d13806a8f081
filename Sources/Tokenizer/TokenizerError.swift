import GGUF

/// What can be wrong with a vocabulary, a text to encode, ids to decode, or a chat template.
public enum TokenizerError: Error, Equatable, Sendable {
    /// A metadata key the tokenizer needs is absent.
    case missingMetadata(key: String)
    /// A metadata value has the wrong type (for arrays: the wrong element type).
    case wrongMetadataType(key: String, expected: String, found: String)
    /// The GGUF metadata could not be read for another reason (a value out of range).
    case metadata(GGUFError)
    /// `tokenizer.ggml.model` names a tokenizer this package does not implement.
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names a pre-tokenizer this package does not implement.
    case unsupportedPreTokenizer(String)
    /// The vocabulary is empty.
    case emptyVocabulary
    /// A per-token array (`token_type`, `scores`) does not have one entry per token.
    case lengthMismatch(key: String, count: Int, tokenCount: Int)
    /// A token type value outside GGUF's `1...6` (normal, unknown, control, user-defined, unused, byte).
    case invalidTokenType(id: Int, value: Int)
    /// A special-token id (`tokenizer.ggml.bos_token_id`, …) outside the vocabulary.
    case specialTokenOutOfRange(key: String, id: Int, vocabularySize: Int)
    /// A token of type BYTE whose text is not `<0xHH>`.
    case invalidByteToken(id: Int, text: String)
    /// A merge that is not two non-empty pieces separated by one space.
    case malformedMerge(index: Int, text: String)
    /// A merge whose pieces, or whose result, are not tokens of the vocabulary.
    case mergeOutsideVocabulary(index: Int, text: String)
    /// A SentencePiece score that is NaN (scores order the merges).
    case invalidScore(id: Int)
    /// Two tokens with the same text (llama.cpp refuses such a vocabulary too).
    case duplicateToken(text: String, firstID: Int, secondID: Int)
    /// No token encodes this single byte, so text containing it cannot be encoded.
    case unencodableByte(UInt8, offset: Int)
    /// An id passed to `decode` outside `0..<vocabularySize`.
    case tokenOutOfRange(id: Int, vocabularySize: Int)
    /// A pre-tokenizer regex failed while splitting text (message from PCRE2).
    case preTokenizerFailed(String)
    /// A chat template that is not valid Jinja (an unclosed tag, a misplaced token), at a 1-based line.
    case templateSyntax(message: String, line: Int)
    /// A chat template uses Jinja the interpreter does not implement (`{% call %}`, the `wordwrap`
    /// filter, `'%s' % x`, …), named in `construct`; rendering stops rather than guess.
    case unsupportedTemplateConstruct(construct: String, line: Int)
    /// A chat template failed while rendering as Jinja2 would (an undefined value used, a type
    /// error, a mutating method refused by the sandbox), at a 1-based line.
    case templateRuntime(message: String, line: Int)
    /// A chat template called `raise_exception(message)`: it refuses the conversation
    /// ("System role not supported", "Conversation roles must alternate …").
    case templateException(message: String)
}
