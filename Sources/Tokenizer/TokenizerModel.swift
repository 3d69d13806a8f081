/// The algorithm that turns the text between special tokens into ids, by
/// `tokenizer.ggml.model`: the seam between the tokenizer's shared parts (special tokens, the
/// byte table, decoding) and each encoder.
enum TokenizerModel: Sendable {
    /// Byte-level BPE (`"gpt2"`): words from the pre-tokenizer, merged by rank.
    case bytePair(BytePairMerger, PreTokenizer)
    /// SentencePiece BPE (`"llama"`): characters merged by score, with byte fallback.
    case sentencePiece(SentencePieceEncoder)
    /// BPE over UTF-8 characters with `▁` spaces (`"gemma4"`): characters merged by rank.
    case characterPair(CharacterPairEncoder)

    /// The `tokenizer.ggml.model` values this package implements.
    static let supportedNames = ["gpt2", "llama", "gemma4"]
}
