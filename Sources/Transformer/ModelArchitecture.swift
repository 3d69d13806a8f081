import GGUF

/// The decoder architectures ``LlamaModel`` runs, by their GGUF name (`general.architecture`).
///
/// All of them are llama-like pre-norm decoders; what sets each apart is an
/// ``ArchitectureOptions`` value that the one forward pass reads, following llama.cpp's graph
/// for the architecture (`src/models/<name>.cpp`).
public enum ModelArchitecture: String, CaseIterable, Sendable {
    /// Llama 1–3 and models converted as llama (SmolLM2, Mistral…): the reference layout.
    case llama
    /// Qwen 2 / 2.5: biases on the query, key and value projections, NeoX rotary layout.
    case qwen2
    /// Qwen 3 (dense): a per-head RMSNorm on queries and keys before RoPE.
    case qwen3
    /// Gemma 3: scaled embeddings, post-norms, query/key norms, GELU, sliding-window layers.
    case gemma3
    /// Phi-3: fused query/key/value and gate/up projections.
    case phi3

    /// The architecture named by `general.architecture`.
    ///
    /// - Throws: ``TransformerError/unsupportedArchitecture(_:supported:)`` for any other name;
    ///   `GGUFError` when the key is missing or not a string.
    public init(metadata: GGUFMetadata) throws {
        let name = try metadata.string("general.architecture")
        guard let architecture = ModelArchitecture(rawValue: name) else {
            throw TransformerError.unsupportedArchitecture(name, supported: Self.allCases.map(\.rawValue))
        }
        self = architecture
    }
}
