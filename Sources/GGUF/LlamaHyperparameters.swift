/// The hyper-parameters of a llama-architecture model, read from GGUF metadata (key names as
/// llama.cpp's `LLM_KV_*` for `general.architecture = "llama"`) and checked for consistency.
public struct LlamaHyperparameters: Sendable, Equatable {
    /// Largest accepted layer count.
    public static let maximumBlockCount = 512
    /// Largest accepted width, heads, feed-forward width, vocabulary and context: keeps every
    /// product of two of them far from overflow.
    public static let maximumDimension = 1 << 24

    /// Number of transformer blocks (`llama.block_count`).
    public let blockCount: Int
    /// Model width (`llama.embedding_length`).
    public let embeddingLength: Int
    /// Hidden width of the SwiGLU feed-forward layer (`llama.feed_forward_length`).
    public let feedForwardLength: Int
    /// Query heads (`llama.attention.head_count`).
    public let headCount: Int
    /// Key/value heads (`llama.attention.head_count_kv`, default: `headCount`).
    public let headCountKV: Int
    /// Width of one head: `llama.attention.key_length` if present, else `embeddingLength / headCount`.
    public let headDimension: Int
    /// RoPE base frequency (`llama.rope.freq_base`, default 10 000).
    public let ropeFrequencyBase: Float
    /// Dimensions of each head that RoPE rotates (`llama.rope.dimension_count`, default `headDimension`).
    public let ropeDimensionCount: Int
    /// RMSNorm epsilon (`llama.attention.layer_norm_rms_epsilon`).
    public let rmsNormEpsilon: Float
    /// Training context length (`llama.context_length`).
    public let contextLength: Int
    /// Vocabulary size: the length of `tokenizer.ggml.tokens`.
    public let vocabularySize: Int

    /// Width of the key and value projections: `headCountKV * headDimension`.
    public var keyValueWidth: Int { headCountKV * headDimension }
    /// Width of the query projection: `headCount * headDimension`.
    public var queryWidth: Int { headCount * headDimension }
    /// Query heads that share one key/value head (grouped-query attention).
    public var groupSize: Int { headCount / headCountKV }

    /// Reads and checks the hyper-parameters.
    ///
    /// - Throws: `GGUFError.unsupportedArchitecture` unless `general.architecture` is `"llama"`;
    ///   `.missingKey` / `.typeMismatch` for absent or mistyped keys; `.invalidHyperparameter`
    ///   for values out of range or inconsistent (a layer count above 512, heads that do not
    ///   divide the width or each other, a non-positive epsilon…).
    public init(metadata: GGUFMetadata) throws(GGUFError) {
        let architecture = try metadata.string("general.architecture")
        guard architecture == "llama" else { throw .unsupportedArchitecture(architecture) }
        try self.init(metadata: metadata, architecture: architecture)
    }

    /// Reads and checks the hyper-parameters of a llama-like decoder whose keys are prefixed by
    /// `architecture` (`"qwen2.block_count"`…), whatever `general.architecture` says: the caller
    /// decides which architectures it runs.
    ///
    /// - Throws: `.missingKey` / `.typeMismatch` / `.invalidHyperparameter` as `init(metadata:)`.
    public init(metadata: GGUFMetadata, architecture: String) throws(GGUFError) {
        let p = architecture + "."

        blockCount = try Self.count(metadata, p + "block_count", maximum: Self.maximumBlockCount)
        embeddingLength = try Self.count(metadata, p + "embedding_length")
        feedForwardLength = try Self.count(metadata, p + "feed_forward_length")
        headCount = try Self.count(metadata, p + "attention.head_count")
        headCountKV = try Self.count(metadata, p + "attention.head_count_kv", default: headCount)
        contextLength = try Self.count(metadata, p + "context_length")
        vocabularySize = try Self.vocabularySize(metadata)

        guard headCount % headCountKV == 0 else {
            throw .invalidHyperparameter(
                key: p + "attention.head_count_kv", value: "\(headCountKV)",
                reason: "does not divide the \(headCount) query heads")
        }
        if metadata.contains(p + "attention.key_length") {
            headDimension = try Self.count(metadata, p + "attention.key_length")
            let valueLength = try Self.count(metadata, p + "attention.value_length", default: headDimension)
            guard valueLength == headDimension else {
                throw .invalidHyperparameter(
                    key: p + "attention.value_length", value: "\(valueLength)",
                    reason: "differs from key_length \(headDimension)")
            }
        } else {
            guard embeddingLength % headCount == 0 else {
                throw .invalidHyperparameter(
                    key: p + "attention.head_count", value: "\(headCount)",
                    reason: "does not divide the width \(embeddingLength)")
            }
            headDimension = embeddingLength / headCount
        }
        ropeDimensionCount = try Self.count(metadata, p + "rope.dimension_count", default: headDimension)
        guard ropeDimensionCount <= headDimension, ropeDimensionCount % 2 == 0 else {
            throw .invalidHyperparameter(
                key: p + "rope.dimension_count", value: "\(ropeDimensionCount)",
                reason: "must be even and at most the head dimension \(headDimension)")
        }
        ropeFrequencyBase = try metadata.floatIfPresent(p + "rope.freq_base") ?? 10_000
        guard ropeFrequencyBase.isFinite, ropeFrequencyBase > 0 else {
            throw .invalidHyperparameter(
                key: p + "rope.freq_base", value: "\(ropeFrequencyBase)", reason: "must be finite and positive")
        }
        rmsNormEpsilon = try metadata.float(p + "attention.layer_norm_rms_epsilon")
        guard rmsNormEpsilon.isFinite, rmsNormEpsilon > 0, rmsNormEpsilon < 1 else {
            throw .invalidHyperparameter(
                key: p + "attention.layer_norm_rms_epsilon", value: "\(rmsNormEpsilon)",
                reason: "must be finite, positive and below 1")
        }
    }

    /// Reads the hyper-parameters of `file` (see `init(metadata:)`).
    public init(file: GGUFFile) throws(GGUFError) {
        try self.init(metadata: file.metadata)
    }

    /// An integer key in `1...maximum`.
    private static func count(
        _ metadata: GGUFMetadata, _ key: String, maximum: Int = maximumDimension, default defaultValue: Int? = nil
    ) throws(GGUFError) -> Int {
        let value: Int
        if let present = try metadata.integerIfPresent(key) {
            value = present
        } else if let defaultValue {
            value = defaultValue
        } else {
            throw .missingKey(key)
        }
        guard value >= 1, value <= maximum else {
            throw .invalidHyperparameter(key: key, value: "\(value)", reason: "must be between 1 and \(maximum)")
        }
        return value
    }

    private static func vocabularySize(_ metadata: GGUFMetadata) throws(GGUFError) -> Int {
        let key = "tokenizer.ggml.tokens"
        let value = try metadata.value(key)
        guard case .array(let array) = value, array.elementType == .string else {
            throw .typeMismatch(key: key, expected: "ARRAY of STRING", found: value.typeDescription)
        }
        guard array.count >= 1, array.count <= maximumDimension else {
            throw .invalidHyperparameter(
                key: key, value: "\(array.count) tokens", reason: "must be between 1 and \(maximumDimension)")
        }
        return array.count
    }
}
