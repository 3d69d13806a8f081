/// The shape of a llama-architecture model, as the forward pass uses it.
struct LlamaConfiguration: Sendable, Equatable {
    var layerCount: Int
    /// Width of the residual stream (`embedding_length`).
    var width: Int
    var headCount: Int
    var kvHeadCount: Int
    var headDim: Int
    /// Width of the SwiGLU hidden layer.
    var feedForwardWidth: Int
    var vocabularySize: Int
    var contextLength: Int
    var normEpsilon: Float
    var ropeFrequencyBase: Float

    var queryWidth: Int { headCount * headDim }
    var kvWidth: Int { kvHeadCount * headDim }
    /// Query heads that share one key/value head (grouped-query attention).
    var groupSize: Int { headCount / kvHeadCount }
}

/// The weights of one llama decoder layer.
struct LlamaLayerWeights: Sendable {
    var attentionNorm: [Float]
    var query: any LinearOperator
    var key: any LinearOperator
    var value: any LinearOperator
    var attentionOutput: any LinearOperator
    var feedForwardNorm: [Float]
    var gate: any LinearOperator
    var up: any LinearOperator
    var down: any LinearOperator
}

/// Every weight of a llama model.
struct LlamaWeights: Sendable {
    var embedding: any EmbeddingTable
    var layers: [LlamaLayerWeights]
    var outputNorm: [Float]
    /// The output projection (the token embedding itself when the file ties them).
    var output: any LinearOperator
}
