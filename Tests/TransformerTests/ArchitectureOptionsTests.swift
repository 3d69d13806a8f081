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

    @Test func linearRopeScalingAndUnsupportedScalings() throws {
        let scaled = try Self.options("llama", [("llama.rope.scaling.factor", .float32(4))])
        #expect(scaled.ropeFrequencyScale == 0.25)
        #expect(throws: TransformerError.unsupportedHyperparameter(name: "qwen2.rope.scaling.type", value: "yarn")) {
            try Self.options("qwen2", [("qwen2.rope.scaling.type", .string("yarn"))])
        }
    }
}
