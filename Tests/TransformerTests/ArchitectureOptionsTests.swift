import GGUF
import Testing
import Transformer

/// What each architecture's options are read as from GGUF metadata (llama.cpp's `load_arch_hparams`).
struct ArchitectureOptionsTests {
    static func options(_ architecture: String, _ extra: [(String, TinyGGUF.Value)] = []) throws -> ArchitectureOptions {
        var file = TinyGGUF.llama(architecture: architecture)
        file.metadata += extra
        let gguf = try GGUFFile(bytes: file.bytes)
        let parsed = try ModelArchitecture(metadata: gguf.metadata)
        return try ArchitectureOptions(
            architecture: parsed,
            hyperparameters: LlamaHyperparameters(metadata: gguf.metadata, architecture: architecture),
            metadata: gguf.metadata)
    }

    @Test func llamaIsTheReferenceLayout() throws {
        let options = try Self.options("llama")
        #expect(options.rotaryLayout == .adjacentPairs)
        #expect(options.activation == .silu)
        #expect(!options.normalizesQueriesAndKeys && !options.hasPostNorms && !options.fusedGateUp)
        #expect(options.embeddingScale == 1)
        #expect(options.slidingWindow == nil)
        #expect(options.ropeFrequencyScale == 1)
    }

    @Test func gemma3SlidesEveryLayerButTheLastOfEachPeriod() throws {
        let options = try Self.options(
            "gemma3",
            [("gemma3.attention.sliding_window", .uint32(4)), ("gemma3.attention.sliding_window_pattern", .uint32(3))])
        #expect(options.slidingWindow == 4)
        #expect(options.slidingLayers == [true])
        #expect(options.slidingRopeFrequencyBase == 10_000)
        #expect(options.rotaryLayout == .halves)
        #expect(options.activation == .geluTanh)
        #expect(options.embeddingScale == Float(32).squareRoot())
        #expect(options.scalesQueries)
    }

    @Test func ropeScalingTypesAsLlamaCppReadsThem() throws {
        let linear = try Self.options("llama", [("llama.rope.scaling.factor", .float32(4))])
        #expect(linear.ropeScaling == .linear(factor: 4) && linear.ropeFrequencyScale == 0.25)
        let none = try Self.options(
            "llama", [("llama.rope.scaling.type", .string("none")), ("llama.rope.scaling.factor", .float32(4))])
        #expect(none.ropeScaling == RopeScaling.none && none.ropeFrequencyScale == 1)
        let yarn = try Self.options(
            "qwen2",
            [
                ("qwen2.rope.scaling.type", .string("yarn")), ("qwen2.rope.scaling.factor", .float32(4)),
                ("qwen2.rope.scaling.original_context_length", .uint32(32)),
            ])
        #expect(yarn.ropeScaling == .yarn(factor: 4) && yarn.ropeOriginalContextLength == 32)
        #expect(yarn.ropeFrequencyScale == 0.25 && yarn.ropeAttentionFactor == 1)
        let longRoPE = try Self.options(
            "phi3", [("phi3.rope.scaling.type", .string("longrope")), ("phi3.rope.scaling.attn_factor", .float32(1.19))])
        #expect(longRoPE.ropeScaling == .longRoPE && longRoPE.ropeAttentionFactor == 1.19)
    }

    @Test func unsupportedRopeSettingsAreTypedErrors() throws {
        #expect(throws: TransformerError.unsupportedHyperparameter(name: "qwen2.rope.scaling.type", value: "dynamic")) {
            try Self.options("qwen2", [("qwen2.rope.scaling.type", .string("dynamic"))])
        }
        #expect(throws: TransformerError.unsupportedHyperparameter(name: "qwen2.rope.scaling.factor", value: "-2.0")) {
            try Self.options("qwen2", [("qwen2.rope.scaling.factor", .float32(-2))])
        }
        #expect(throws: TransformerError.unsupportedHyperparameter(name: "phi3.rope.scaling.attn_factor", value: "0.0")) {
            try Self.options("phi3", [("phi3.rope.scaling.attn_factor", .float32(0))])
        }
        #expect(
            throws: TransformerError.unsupportedHyperparameter(name: "llama.rope.scaling.original_context_length", value: "0")
        ) {
            try Self.options("llama", [("llama.rope.scaling.original_context_length", .uint32(0))])
        }
    }

    @Test func partialRotaryDimensionsExceptForLlama() throws {
        let qwen = try Self.options("qwen2", [("qwen2.rope.dimension_count", .uint32(4))])
        #expect(qwen.rotaryDimensions == 4)
        #expect(throws: TransformerError.unsupportedHyperparameter(name: "llama.rope.dimension_count", value: "4")) {
            try Self.options("llama", [("llama.rope.dimension_count", .uint32(4))])
        }
    }
}
