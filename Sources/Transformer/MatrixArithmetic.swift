/// The arithmetic of a model's quantized matrix products, chosen when it loads.
///
/// Both are batch invariant: a token's logits are the same bits alone, in a batch of any size, at
/// any place in a tree, in a prefill chunk and with any thread count, so every consistency test
/// (prefill = token by token, batch = one by one, tree = path, speculative = plain) holds exactly.
/// They differ in speed and in agreement with llama.cpp.
public enum MatrixArithmetic: Sendable, Equatable, CustomStringConvertible {
    /// Weights repacked at load, 16 rows interleaved per 32-value block, one exact integer sum per
    /// (row, token, block) converted once (`QuantizedMatrix.Layout.packed`): 3–4× less arithmetic
    /// per (row, token) than ``llamaCpp``, within a tolerance of llama.cpp's logits (its own
    /// batch, one-token and flash-attention paths differ from each other by up to ~1 logit on the
    /// default model). The default.
    case packed
    /// llama.cpp's CPU dot products operation by operation, on the file's blocks in place
    /// (`QuantizedMatrix.Layout.ggml`, binary16 activation scales): llama.cpp's logits to the
    /// last bit (its batch path, flash attention off).
    case llamaCpp

    /// `packed` or `llamaCpp`.
    public var description: String {
        switch self {
        case .packed: "packed"
        case .llamaCpp: "llamaCpp"
        }
    }
}
