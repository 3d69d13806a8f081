/// The shape of a decoder, as the forward pass uses it.
struct LlamaConfiguration: Sendable, Equatable {
    var layerCount: Int
    /// Width of the residual stream (`embedding_length`).
    var width: Int
    var headCount: Int
    var kvHeadCount: Int
    var headDim: Int
    /// Width of the gated feed-forward hidden layer.
    var feedForwardWidth: Int
    var vocabularySize: Int
    var contextLength: Int
    var normEpsilon: Float
    var ropeFrequencyBase: Float
    /// What the architecture does differently from llama.
    var options: ArchitectureOptions
    /// The arithmetic of the quantized matrix products.
    var arithmetic: MatrixArithmetic = .packed

    var queryWidth: Int { headCount * headDim }
    var kvWidth: Int { kvHeadCount * headDim }
    /// Query heads that share one key/value head (grouped-query attention).
    var groupSize: Int { headCount / kvHeadCount }
}

/// The query, key and value projections of a layer: three matrices, or one whose output rows
/// are the query's, then the key's, then the value's (`attn_qkv`).
enum AttentionProjection: Sendable {
    case separate(query: any LinearOperator, key: any LinearOperator, value: any LinearOperator)
    case fused(any LinearOperator)
}

/// The gate and up projections of a gated feed-forward layer: two matrices, or one of twice the
/// width, gate rows first (Phi-3's `ffn_up`).
enum FeedForwardProjection: Sendable {
    case separate(gate: any LinearOperator, up: any LinearOperator)
    case fused(any LinearOperator)
}

/// The weights of one decoder layer; the optional ones are nil where the architecture has none.
struct LlamaLayerWeights: Sendable {
    var attentionNorm: [Float]
    var projection: AttentionProjection
    /// Biases added to the query, key and value outputs, concatenated in that order.
    var projectionBias: [Float]?
    /// Per-head RMSNorm weights of queries and keys (`headDim` each).
    var queryNorm: [Float]?
    var keyNorm: [Float]?
    var attentionOutput: any LinearOperator
    var postAttentionNorm: [Float]?
    var feedForwardNorm: [Float]
    var feedForward: FeedForwardProjection
    var down: any LinearOperator
    var postFeedForwardNorm: [Float]?
}

/// Every weight of a model.
struct LlamaWeights: Sendable {
    var embedding: any EmbeddingTable
    var layers: [LlamaLayerWeights]
    var outputNorm: [Float]
    /// The output projection (the token embedding itself when the file ties them).
    var output: any LinearOperator
    /// Bias added to the logits (`output.bias`, some Qwen 2 files), or nil.
    var outputBias: [Float]?
    /// The global layers' RoPE angles, with their per-frequency divisors (`rope_freqs` of Llama
    /// 3.1+, LongRoPE's factors) where the file has them.
    var rotary: RotaryEmbedding
    /// The sliding-window layers' RoPE angles, or nil when no layer slides.
    var slidingRotary: RotaryEmbedding?
}
