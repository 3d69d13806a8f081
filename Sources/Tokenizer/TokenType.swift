/// The kind of a vocabulary entry, as stored in GGUF's `tokenizer.ggml.token_type`
/// (llama.cpp's `llama_token_type`).
public enum TokenType: Int32, Sendable, Hashable, CaseIterable {
    /// An ordinary token produced by BPE merges.
    case normal = 1
    /// The unknown token.
    case unknown = 2
    /// A control token (`<|im_start|>`, `<|endoftext|>`): found in text only when special
    /// tokens are parsed; its text is markup, not content.
    case control = 3
    /// A user-defined token: always found in text as one id; decoded to its literal text.
    case userDefined = 4
    /// A placeholder entry that is never produced.
    case unused = 5
    /// One raw byte, written `<0xHH>`.
    case byte = 6
}
