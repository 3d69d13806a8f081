import Foundation
import GGUF

/// What one architecture's decoder does differently from llama's, read from GGUF metadata as
/// llama.cpp reads it (`load_arch_hparams` and the graph in `src/models/<architecture>.cpp`):
/// the single forward pass of ``LlamaModel`` branches on these values, not on the architecture.
public struct ArchitectureOptions: Sendable, Equatable {
    /// Which pairs of a head's dimensions RoPE rotates together.
    public enum RotaryLayout: Sendable, Equatable {
        /// `(x[2i], x[2i+1])`: ggml's "normal" mode, llama's (its GGUF Q/K weights are permuted for it).
        case adjacentPairs
        /// `(x[i], x[i + d/2])`: ggml's NeoX mode (Qwen, Gemma, Phi).
        case halves
    }

    /// The activation of the gated feed-forward layer: `act(gate · x) ⊙ (up · x)`.
    public enum Activation: Sendable, Equatable {
        /// SiLU (SwiGLU, Shazeer 2020).
        case silu
        /// GELU with the tanh approximation (GeGLU), through binary16 as ggml's CPU kernel.
        case geluTanh
    }

    /// The architecture these options describe.
    public var architecture: ModelArchitecture
    /// RoPE pairing.
    public var rotaryLayout: RotaryLayout
    /// Feed-forward activation.
    public var activation: Activation
    /// Whether the query/key/value projections must have biases (`attn_{q,k,v}.bias`, Qwen 2);
    /// other architectures use them when the file has them.
    public var requiresProjectionBiases: Bool
    /// Whether each head of the queries and keys goes through its own RMSNorm before RoPE
    /// (`attn_q_norm`, `attn_k_norm`: Qwen 3, Gemma 3).
    public var normalizesQueriesAndKeys: Bool
    /// Whether the attention and feed-forward outputs are RMS-normed before the residual add
    /// (`post_attention_norm`, `post_ffw_norm`: Gemma 2/3).
    public var hasPostNorms: Bool
    /// Whether gate and up are one matrix of twice the feed-forward width, gate first (`ffn_up`
    /// of Phi-3).
    public var fusedGateUp: Bool
    /// Factor on the token embeddings (Gemma: √width; 1 elsewhere).
    public var embeddingScale: Float
    /// The factor on query·key products.
    public var attentionScale: Float
    /// Whether queries are multiplied by ``attentionScale`` before the product (Gemma 3, Phi-3, as
    /// llama.cpp's graphs do) rather than the scores after it; the two differ in rounding only.
    public var scalesQueries: Bool
    /// Keys a sliding-window layer sees: a query at position `p` attends to `p − window + 1 … p`
    /// (llama.cpp's `LLAMA_SWA_TYPE_STANDARD`); nil when no layer slides.
    public var slidingWindow: Int?
    /// For each layer, whether it is a sliding-window layer.
    public var slidingLayers: [Bool]
    /// RoPE base frequency of the sliding-window layers (`rope.freq_base_swa`, default 10 000).
    public var slidingRopeFrequencyBase: Float
    /// Leading dimensions of each head that RoPE rotates (`rope.dimension_count`; fewer than the
    /// head's in Phi-4-mini, for example); the others pass through unrotated.
    public var rotaryDimensions: Int
    /// How the global layers' RoPE angles are stretched past the pre-training context.
    public var ropeScaling: RopeScaling
    /// The context the model was pre-trained on before its context was extended
    /// (`rope.scaling.original_context_length`, default the training context): YaRN's ramp is
    /// built for it, and LongRoPE uses its long factors when the runtime's context exceeds it.
    public var ropeOriginalContextLength: Int
    /// Factor on every RoPE cosine and sine (`rope.scaling.attn_factor`, default 1), which
    /// scales attention scores by its square (LongRoPE's magnitude correction).
    public var ropeAttentionFactor: Float
    /// Positions are multiplied by this in the global layers: `1 / rope.scaling.factor` with
    /// linear or YaRN scaling, 1 otherwise.
    public var ropeFrequencyScale: Float { ropeScaling.frequencyScale }
    /// `softcap · tanh(logit / softcap)` on the output logits (`final_logit_softcapping`), or nil.
    public var finalLogitSoftcap: Float?

    /// The options of `architecture` for a model with these hyper-parameters and metadata.
    ///
    /// - Throws: ``TransformerError/unsupportedHyperparameter(name:value:)`` for settings the
    ///   runtime does not implement (an unknown RoPE scaling type, a non-positive or non-finite
    ///   factor, an attention-logit softcap); `GGUFError` for mistyped keys.
    public init(
        architecture: ModelArchitecture, hyperparameters hyper: LlamaHyperparameters, metadata: GGUFMetadata
    ) throws {
        let p = architecture.rawValue + "."
        self.architecture = architecture
        rotaryLayout = architecture == .llama ? .adjacentPairs : .halves
        activation = architecture == .gemma3 ? .geluTanh : .silu
        requiresProjectionBiases = architecture == .qwen2
        normalizesQueriesAndKeys = architecture == .qwen3 || architecture == .gemma3
        hasPostNorms = architecture == .gemma3
        fusedGateUp = architecture == .phi3
        embeddingScale = architecture == .gemma3 ? Float(hyper.embeddingLength).squareRoot() : 1
        scalesQueries = architecture == .gemma3 || architecture == .phi3
        // Gemma 3 27B (62 layers) scales by the width per head, as llama.cpp does after gemma_pytorch.
        if architecture == .gemma3, hyper.blockCount == 62 {
            attentionScale = 1 / Float(hyper.embeddingLength / hyper.headCount).squareRoot()
        } else {
            attentionScale = 1 / Float(hyper.headDimension).squareRoot()
        }

        rotaryDimensions = hyper.ropeDimensionCount
        // llama.cpp refuses partial rotary dimensions for llama (`invalid n_rot`).
        guard rotaryDimensions >= 2, architecture != .llama || rotaryDimensions == hyper.headDimension else {
            throw TransformerError.unsupportedHyperparameter(name: p + "rope.dimension_count", value: "\(rotaryDimensions)")
        }
        ropeOriginalContextLength = try metadata.integerIfPresent(p + "rope.scaling.original_context_length")
            ?? hyper.contextLength
        guard ropeOriginalContextLength >= 1 else {
            throw TransformerError.unsupportedHyperparameter(
                name: p + "rope.scaling.original_context_length", value: "\(ropeOriginalContextLength)")
        }
        ropeScaling = try Self.ropeScaling(metadata, prefix: p)
        ropeAttentionFactor = try metadata.floatIfPresent(p + "rope.scaling.attn_factor") ?? 1
        guard ropeAttentionFactor.isFinite, ropeAttentionFactor > 0 else {
            throw TransformerError.unsupportedHyperparameter(
                name: p + "rope.scaling.attn_factor", value: "\(ropeAttentionFactor)")
        }
        if let softcap = try metadata.floatIfPresent(p + "attn_logit_softcapping"), softcap != 0 {
            throw TransformerError.unsupportedHyperparameter(name: p + "attn_logit_softcapping", value: "\(softcap)")
        }
        let softcap = try metadata.floatIfPresent(p + "final_logit_softcapping") ?? 0
        finalLogitSoftcap = softcap > 0 ? softcap : nil

        // Sliding windows: Gemma 3 only (llama.cpp turns Phi-3's off).
        let window = architecture == .gemma3 ? try metadata.integerIfPresent(p + "attention.sliding_window") ?? 0 : 0
        slidingRopeFrequencyBase = try metadata.floatIfPresent(p + "rope.freq_base_swa") ?? 10_000
        if window > 0 {
            slidingWindow = window
            slidingLayers = try Self.slidingLayers(metadata, key: p + "attention.sliding_window_pattern", layers: hyper.blockCount)
        } else {
            slidingWindow = nil
            slidingLayers = Array(repeating: false, count: hyper.blockCount)
        }
    }

    /// The RoPE scaling the metadata names, as llama.cpp reads it: the type defaults to `linear`,
    /// the factor comes from `rope.scaling.factor` or the older `rope.scale_linear`, and no factor
    /// (or 0) means no scaling.
    private static func ropeScaling(_ metadata: GGUFMetadata, prefix p: String) throws
        -> RopeScaling
    {
        let type = try metadata.stringIfPresent(p + "rope.scaling.type") ?? "linear"
        let factor = try metadata.floatIfPresent(p + "rope.scaling.factor")
            ?? metadata.floatIfPresent(p + "rope.scale_linear") ?? 0
        guard factor.isFinite, factor >= 0 else {
            throw TransformerError.unsupportedHyperparameter(name: p + "rope.scaling.factor", value: "\(factor)")
        }
        switch type {
        case "none": return .none
        case "linear": return factor == 0 ? .none : .linear(factor: factor)
        case "yarn": return factor == 0 ? .none : .yarn(factor: factor)
        case "longrope":
            guard factor == 0 || factor == 1 else {
                throw TransformerError.unsupportedHyperparameter(
                    name: p + "rope.scaling.factor", value: "\(factor) with longrope scaling")
            }
            return .longRoPE
        default: throw TransformerError.unsupportedHyperparameter(name: p + "rope.scaling.type", value: type)
        }
    }

    /// Which layers slide: a per-layer boolean array, or a period `n` where every `n`-th layer
    /// (the last of each period) is global (`llama_hparams::set_swa_pattern`; Gemma 3's default 6).
    private static func slidingLayers(_ metadata: GGUFMetadata, key: String, layers: Int) throws -> [Bool] {
        if case .array(.bool(let flags)) = metadata[key] {
            guard flags.count == layers else {
                throw TransformerError.unsupportedHyperparameter(name: key, value: "\(flags.count) flags for \(layers) layers")
            }
            return flags
        }
        let period = try metadata.integerIfPresent(key) ?? 6
        guard period >= 0 else { throw TransformerError.unsupportedHyperparameter(name: key, value: "\(period)") }
        return (0..<layers).map { period == 0 || $0 % period < period - 1 }
    }

    /// Whether `layer` attends through the sliding window.
    func slides(_ layer: Int) -> Bool { slidingWindow != nil && slidingLayers[layer] }
}
