import GGUF

/// The ids of a vocabulary's special tokens and the end-of-generation set, derived once from
/// GGUF metadata by `GGUF`'s ``GGUF/VocabularySpecialTokens`` (which the runtime uses too).
public typealias SpecialTokenIDs = VocabularySpecialTokens
