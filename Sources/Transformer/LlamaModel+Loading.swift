import Decoding
import Foundation
import GGUF
import Logging

extension LlamaModel {
    /// Loads a decoder of any ``ModelArchitecture`` from a GGUF file. Quantized matrices are packed
    /// for the integer kernels (``MatrixArithmetic/packed``; the file's pages are released, so the
    /// weights are held once) or read in place from the file's mapping (``MatrixArithmetic/llamaCpp``).
    ///
    /// - Parameters:
    ///   - file: an opened GGUF file whose `general.architecture` is one of ``ModelArchitecture``.
    ///   - threads: threads for the forward pass, the caller's included (default: every core);
    ///     more than the cores available are capped at one per core, with a warning to `logger`.
    ///   - arithmetic: the quantized matrix products' arithmetic (default ``MatrixArithmetic/packed``).
    ///   - logger: receives a summary of the loaded model at `.info`.
    ///   - pool: the threads to run on, instead of a new ``ThreadPool`` of `threads` (for
    ///     example one whose load source is fixed).
    /// - Throws: ``TransformerError/unsupportedArchitecture(_:supported:)``,
    ///   ``TransformerError/vocabularyMismatch(tensor:rows:tokens:)``,
    ///   ``TransformerError/unsupportedTensorType(name:type:)`` and
    ///   ``TransformerError/unsupportedHyperparameter(name:value:)`` for what this runtime cannot
    ///   run; `GGUFError.missingTensor`, `.tensorShapeMismatch` and the hyper-parameter errors of
    ///   `LlamaHyperparameters` for a malformed file.
    public convenience init(
        file: GGUFFile, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        arithmetic: MatrixArithmetic = .packed,
        logger: Logger = Logger(label: "swift-decoding.transformer"), pool: ThreadPool? = nil
    ) throws {
        guard threads >= 1 else { throw TransformerError.invalidThreadCount(threads) }
        let architecture = try ModelArchitecture(metadata: file.metadata)
        let hyper = try LlamaHyperparameters(metadata: file.metadata, architecture: architecture.rawValue)
        let options = try ArchitectureOptions(architecture: architecture, hyperparameters: hyper, metadata: file.metadata)
        try options.validateTensors(in: file, hyperparameters: hyper)
        let configuration = LlamaConfiguration(
            layerCount: hyper.blockCount, width: hyper.embeddingLength, headCount: hyper.headCount,
            kvHeadCount: hyper.headCountKV, headDim: hyper.headDimension,
            feedForwardWidth: hyper.feedForwardLength, vocabularySize: hyper.vocabularySize,
            contextLength: hyper.contextLength, normEpsilon: hyper.rmsNormEpsilon,
            ropeFrequencyBase: hyper.ropeFrequencyBase, options: options, arithmetic: arithmetic)
        let loader = WeightLoader(file: file, arithmetic: arithmetic)
        let layers = try (0..<hyper.blockCount).map { try Self.loadLayer($0, loader: loader, configuration: configuration) }
        let embedding = try loader.embedding("token_embd.weight")
        let tied = file.tensor(named: "output.weight") == nil
        let rotary = RotaryEmbedding(
            options: options, base: hyper.ropeFrequencyBase,
            factors: try Self.ropeFactors(loader, options: options, contextLength: configuration.contextLength))
        let weights = LlamaWeights(
            embedding: embedding, layers: layers, outputNorm: try loader.vector("output_norm.weight"),
            output: tied ? embedding : try loader.matrix("output.weight"),
            outputBias: try loader.optionalVector("output.bias"), rotary: rotary,
            slidingRotary: options.slidingWindow == nil ? nil : rotary.slidingLayers(base: options.slidingRopeFrequencyBase))
        let special = try Self.specialTokens(in: file.metadata)
        self.init(
            configuration: configuration, weights: weights, specialTokens: special, threads: threads, logger: logger,
            pool: pool)
        logger.info(
            "loaded model",
            metadata: [
                "architecture": "\(architecture.rawValue)",
                "layers": "\(configuration.layerCount)", "width": "\(configuration.width)",
                "heads": "\(configuration.headCount)/\(configuration.kvHeadCount)",
                "vocabulary": "\(configuration.vocabularySize)", "context": "\(configuration.contextLength)",
                "slidingWindow": "\(options.slidingWindow.map(String.init) ?? "none")",
                "tiedOutput": "\(tied)", "threads": "\(threadCount)", "arithmetic": "\(arithmetic)",
            ])
    }

    /// The divisors of the global layers' RoPE angles, as llama.cpp's `get_rope_factors` picks
    /// them: llama's `rope_freqs` (Llama 3.1+), else LongRoPE's long factors when the context
    /// exceeds the original one and its short factors otherwise, else none. The runtime's context
    /// is the training context, so a Phi-3 128k file uses its long factors, as llama.cpp does when
    /// its context is larger than 4 096. Factors must be finite and positive (they divide angles).
    private static func ropeFactors(_ loader: WeightLoader, options: ArchitectureOptions, contextLength: Int) throws
        -> [Float]?
    {
        let name: String
        if options.architecture == .llama, loader.file.tensor(named: "rope_freqs.weight") != nil {
            name = "rope_freqs.weight"
        } else if options.readsLongRoPEFactors, loader.file.tensor(named: "rope_factors_long.weight") != nil {
            name = contextLength > options.ropeOriginalContextLength ? "rope_factors_long.weight" : "rope_factors_short.weight"
        } else {
            return nil
        }
        let factors = try loader.vector(name)
        if let bad = factors.first(where: { !$0.isFinite || $0 <= 0 }) {
            throw TransformerError.unsupportedHyperparameter(name: name, value: "\(bad) (must be finite and positive)")
        }
        return factors
    }

    /// The weights of layer `index`, as the architecture lays them out.
    private static func loadLayer(_ index: Int, loader: WeightLoader, configuration: LlamaConfiguration) throws
        -> LlamaLayerWeights
    {
        let options = configuration.options
        let prefix = "blk.\(index)."
        let projection: AttentionProjection
        let bias: [Float]?
        if loader.file.tensor(named: prefix + "attn_qkv.weight") != nil {
            projection = .fused(try loader.matrix(prefix + "attn_qkv.weight"))
            bias = try loader.optionalVector(prefix + "attn_qkv.bias")
        } else {
            projection = .separate(
                query: try loader.matrix(prefix + "attn_q.weight"), key: try loader.matrix(prefix + "attn_k.weight"),
                value: try loader.matrix(prefix + "attn_v.weight"))
            let parts = try ["attn_q.bias", "attn_k.bias", "attn_v.bias"].map { try loader.optionalVector(prefix + $0) }
            if parts.allSatisfy({ $0 == nil }) {
                bias = nil
            } else {
                // A model with some of the three biases: the missing ones are zero.
                let widths = [configuration.queryWidth, configuration.kvWidth, configuration.kvWidth]
                bias = zip(parts, widths).flatMap { part, width in part ?? Array(repeating: 0, count: width) }
            }
        }
        let feedForward: FeedForwardProjection = options.fusedGateUp
            ? .fused(try loader.matrix(prefix + "ffn_up.weight"))
            : .separate(gate: try loader.matrix(prefix + "ffn_gate.weight"), up: try loader.matrix(prefix + "ffn_up.weight"))
        return LlamaLayerWeights(
            attentionNorm: try loader.vector(prefix + "attn_norm.weight"), projection: projection,
            projectionBias: bias,
            queryNorm: options.normalizesQueriesAndKeys ? try loader.vector(prefix + "attn_q_norm.weight") : nil,
            keyNorm: options.normalizesQueriesAndKeys ? try loader.vector(prefix + "attn_k_norm.weight") : nil,
            attentionOutput: try loader.matrix(prefix + "attn_output.weight"),
            postAttentionNorm: options.hasPostNorms ? try loader.vector(prefix + "post_attention_norm.weight") : nil,
            feedForwardNorm: try loader.vector(prefix + "ffn_norm.weight"), feedForward: feedForward,
            down: try loader.matrix(prefix + "ffn_down.weight"),
            postFeedForwardNorm: options.hasPostNorms ? try loader.vector(prefix + "post_ffw_norm.weight") : nil)
    }

    /// BOS, EOS and the end-of-generation set, derived from the tokenizer metadata by
    /// `VocabularySpecialTokens` (the same derivation the tokenizer uses).
    static func specialTokens(in metadata: GGUFMetadata) throws -> SpecialTokens {
        let vocabulary = try VocabularySpecialTokens(metadata: metadata)
        return SpecialTokens(bos: vocabulary.bos, eos: vocabulary.eos, endOfTurn: vocabulary.endOfTurn)
    }
}
