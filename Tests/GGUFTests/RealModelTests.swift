import Foundation
import GGUF
import Testing

/// The default model (SmolLM2-135M-Instruct Q4_1) opens, and its header says what the model card says.
@Suite struct RealModelTests {
    func openModel() throws -> GGUFFile {
        let url = try #require(DefaultModel.locate(), "default model not found; run Scripts/setup.sh or set SKIP_MODEL_TESTS=1")
        return try GGUFFile(contentsOf: url)
    }

    @Test(.enabled(if: DefaultModel.modelTestsEnabled))
    func headerAndMetadata() throws {
        let file = try openModel()
        #expect(file.version == 3)
        #expect(try file.metadata.string("general.architecture") == "llama")
        #expect(try file.metadata.uint32("llama.block_count") == 30)
        #expect(try file.metadata.uint32("llama.embedding_length") == 576)
        #expect(try file.metadata.uint32("llama.attention.head_count") == 9)
        #expect(try file.metadata.uint32("llama.attention.head_count_kv") == 3)
        #expect(try file.metadata.stringArray("tokenizer.ggml.tokens").count == 49_152)
    }

    @Test(.enabled(if: DefaultModel.modelTestsEnabled))
    func tensorTable() throws {
        let file = try openModel()
        let embedding = try #require(file.tensor(named: "token_embd.weight"))
        #expect(embedding.type == .q8_0)
        #expect(embedding.dimensions == [576, 49_152])
        #expect(embedding.byteCount == 576 / 32 * 34 * 49_152)
        #expect(file.bytes(of: embedding).count == embedding.byteCount)
        let q = try #require(file.tensor(named: "blk.0.attn_q.weight"))
        #expect(q.type == .q4_1)
        #expect(q.dimensions == [576, 576])
        #expect(file.tensors.count == 272)
        #expect(file.tensors.allSatisfy { $0.offset % file.alignment == 0 })
        let last = try #require(file.tensors.max { $0.offset < $1.offset })
        #expect(last.offset + last.byteCount <= file.fileSize)
    }

    @Test(.enabled(if: DefaultModel.modelTestsEnabled))
    func llamaHyperparameters() throws {
        let file = try openModel()
        let hp = try LlamaHyperparameters(file: file)
        #expect(hp.blockCount == 30)
        #expect(hp.embeddingLength == 576)
        #expect(hp.feedForwardLength == 1536)
        #expect(hp.headCount == 9)
        #expect(hp.headCountKV == 3)
        #expect(hp.headDimension == 64)
        #expect(hp.vocabularySize == 49_152)
        #expect(hp.contextLength == 8192)
        #expect(hp.ropeFrequencyBase == 100_000)
        #expect(hp.rmsNormEpsilon == 1e-5)
        try hp.validateTensors(in: file)
        #expect(file.tensor(named: "output.weight") == nil)  // tied embedding
    }
}
