import Decoding
import Foundation
import GGUF
import Logging

extension LlamaModel {
    /// Loads a llama-architecture model from a GGUF file. Weights are not copied: the matrices
    /// read the file's memory mapping, which the model keeps alive.
    ///
    /// - Parameters:
    ///   - file: an opened GGUF file with `general.architecture = "llama"`.
    ///   - threads: threads for the forward pass, the caller's included (default: every core);
    ///     more than the cores available are capped at one per core, with a warning to `logger`.
    ///   - logger: receives a summary of the loaded model at `.info`.
    ///   - pool: the threads to run on, instead of a new ``ThreadPool`` of `threads` (for
    ///     example one whose load source is fixed).
    /// - Throws: `GGUFError.unsupportedArchitecture`, `.missingTensor`, `.tensorShapeMismatch` and
    ///   the hyper-parameter errors of `LlamaHyperparameters`; ``TransformerError`` for tensor
    ///   types or settings this runtime cannot run.
    public convenience init(
        file: GGUFFile, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        logger: Logger = Logger(label: "swift-decoding.transformer"), pool: ThreadPool? = nil
    ) throws {
        guard threads >= 1 else { throw TransformerError.invalidThreadCount(threads) }
        let hyper = try LlamaHyperparameters(file: file)
        try hyper.validateTensors(in: file)
        guard hyper.ropeDimensionCount == hyper.headDimension else {
            throw TransformerError.unsupportedHyperparameter(
                name: "llama.rope.dimension_count", value: "\(hyper.ropeDimensionCount)")
        }
        let configuration = LlamaConfiguration(
            layerCount: hyper.blockCount, width: hyper.embeddingLength, headCount: hyper.headCount,
            kvHeadCount: hyper.headCountKV, headDim: hyper.headDimension,
            feedForwardWidth: hyper.feedForwardLength, vocabularySize: hyper.vocabularySize,
            contextLength: hyper.contextLength, normEpsilon: hyper.rmsNormEpsilon,
            ropeFrequencyBase: hyper.ropeFrequencyBase)
        let loader = WeightLoader(file: file)
        var layers: [LlamaLayerWeights] = []
        for index in 0..<hyper.blockCount {
            let prefix = "blk.\(index)."
            layers.append(
                LlamaLayerWeights(
                    attentionNorm: try loader.vector(prefix + "attn_norm.weight"),
                    query: try loader.matrix(prefix + "attn_q.weight"),
                    key: try loader.matrix(prefix + "attn_k.weight"),
                    value: try loader.matrix(prefix + "attn_v.weight"),
                    attentionOutput: try loader.matrix(prefix + "attn_output.weight"),
                    feedForwardNorm: try loader.vector(prefix + "ffn_norm.weight"),
                    gate: try loader.matrix(prefix + "ffn_gate.weight"),
                    up: try loader.matrix(prefix + "ffn_up.weight"),
                    down: try loader.matrix(prefix + "ffn_down.weight")))
        }
        let embedding = try loader.embedding("token_embd.weight")
        let tied = file.tensor(named: "output.weight") == nil
        let weights = LlamaWeights(
            embedding: embedding, layers: layers, outputNorm: try loader.vector("output_norm.weight"),
            output: tied ? try loader.matrix("token_embd.weight") : try loader.matrix("output.weight"))
        let special = try Self.specialTokens(in: file.metadata)
        self.init(
            configuration: configuration, weights: weights, specialTokens: special, threads: threads, logger: logger,
            pool: pool)
        logger.info(
            "loaded llama model",
            metadata: [
                "layers": "\(configuration.layerCount)", "width": "\(configuration.width)",
                "heads": "\(configuration.headCount)/\(configuration.kvHeadCount)",
                "vocabulary": "\(configuration.vocabularySize)", "context": "\(configuration.contextLength)",
                "tiedOutput": "\(tied)", "threads": "\(threadCount)",
            ])
    }

    /// BOS, EOS and the end-of-generation set, derived from the tokenizer metadata by
    /// `VocabularySpecialTokens` (the same derivation the tokenizer uses).
    static func specialTokens(in metadata: GGUFMetadata) throws -> SpecialTokens {
        let vocabulary = try VocabularySpecialTokens(metadata: metadata)
        return SpecialTokens(bos: vocabulary.bos, eos: vocabulary.eos, endOfTurn: vocabulary.endOfTurn)
    }
}
