/// The ids of a vocabulary's special tokens, from `tokenizer.ggml.*_token_id`.
public struct SpecialTokenIDs: Sendable, Hashable {
    /// Beginning of sequence (`bos_token_id`).
    public var bos: Int?
    /// End of sequence (`eos_token_id`).
    public var eos: Int?
    /// The unknown token (`unknown_token_id`).
    public var unknown: Int?
    /// Padding (`padding_token_id`).
    public var padding: Int?
    /// Ids that end a turn or generation besides EOS: `eot_token_id`, `eom_token_id`, and control
    /// tokens whose text is a known end marker (`<|im_end|>`, `<|eot_id|>`, `<|end|>`,
    /// `<end_of_turn>`, `<|endoftext|>`, `<|eom_id|>`), as llama.cpp's end-of-generation set.
    public var endOfTurn: Set<Int>

    /// Special ids as given.
    public init(bos: Int? = nil, eos: Int? = nil, unknown: Int? = nil, padding: Int? = nil, endOfTurn: Set<Int> = []) {
        self.bos = bos
        self.eos = eos
        self.unknown = unknown
        self.padding = padding
        self.endOfTurn = endOfTurn
    }

    /// Control-token texts that end a turn.
    static let endOfTurnTexts: Set<String> = [
        "<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>",
    ]
}
