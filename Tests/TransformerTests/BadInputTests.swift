import Decoding
import Foundation
import GGUF
import Testing
import Transformer

/// Input a caller or a file can get wrong gives a typed error, never a crash.
struct BadInputTests {
    /// A session of some other model.
    final class ForeignSession: ModelSession {
        var tokens: [Int] = [1]
        var logits: [Float] = []
        var hiddenState: [Float] = []
        func append(_ tokens: [Int]) throws {}
        func fork() throws -> any ModelSession { self }
        func rollback(to count: Int) throws {}
    }

    static func tinyModel(_ file: TinyGGUF = .llama()) throws -> LlamaModel {
        try LlamaModel(file: GGUFFile(bytes: file.bytes), threads: 2)
    }

    @Test func tinyCraftedModelRuns() throws {
        let model = try Self.tinyModel()
        #expect(model.vocabularySize == 8)
        #expect(model.contextLength == 16)
        #expect(model.hiddenSize == 32)
        let session = try model.makeSession(prompt: [1, 2, 3])
        #expect(session.logits.count == 8)
        #expect(session.logits.allSatisfy { $0.isFinite })
        let stepped = try model.makeSession(prompt: [1])
        try stepped.append([2])
        try stepped.append([3])
        #expect(maxDifference(session.logits, stepped.logits) <= 1e-5)
    }

    @Test func promptErrors() throws {
        let model = try Self.tinyModel()
        #expect(throws: LanguageModelError.emptyPrompt) { try model.makeSession(prompt: []) }
        #expect(throws: LanguageModelError.contextFull(limit: 16, requested: 17)) {
            try model.makeSession(prompt: Array(repeating: 1, count: 17))
        }
        #expect(throws: LanguageModelError.tokenOutOfRange(8, vocabularySize: 8)) {
            try model.makeSession(prompt: [1, 8])
        }
        #expect(throws: LanguageModelError.tokenOutOfRange(-1, vocabularySize: 8)) {
            try model.makeSession(prompt: [-1])
        }
    }

    @Test func sessionErrorsLeaveTheSessionUnchanged() throws {
        let model = try Self.tinyModel()
        let session = try model.makeSession(prompt: Array(repeating: 3, count: 15))
        let logits = session.logits
        #expect(throws: LanguageModelError.contextFull(limit: 16, requested: 17)) { try session.append([1, 2]) }
        #expect(throws: LanguageModelError.tokenOutOfRange(9, vocabularySize: 8)) { try session.append([9]) }
        #expect(throws: LanguageModelError.invalidRollback(to: 0, length: 15)) { try session.rollback(to: 0) }
        #expect(throws: LanguageModelError.invalidRollback(to: 16, length: 15)) { try session.rollback(to: 16) }
        #expect(session.count == 15)
        #expect(session.logits == logits)
        try session.append([1])
        #expect(throws: LanguageModelError.contextFull(limit: 16, requested: 17)) {
            try model.appendBatch([session], tokens: [1])
        }
        let tree = try TokenTree(tokens: [1], parents: [-1])
        #expect(throws: LanguageModelError.contextFull(limit: 16, requested: 17)) {
            try model.evaluateTree(tree, after: session)
        }
    }

    @Test func foreignAndMismatchedBatches() throws {
        let model = try Self.tinyModel()
        let other = try Self.tinyModel()
        let mine = try model.makeSession(prompt: [1])
        let theirs = try other.makeSession(prompt: [1])
        #expect(throws: LanguageModelError.foreignSession) { try model.appendBatch([mine, theirs], tokens: [1, 2]) }
        #expect(throws: LanguageModelError.foreignSession) { try model.appendBatch([ForeignSession()], tokens: [1]) }
        #expect(throws: LanguageModelError.foreignSession) {
            try model.evaluateTree(TokenTree(tokens: [1], parents: [-1]), after: theirs)
        }
        #expect(throws: LanguageModelError.batchMismatch(sessions: 1, tokens: 2)) {
            try model.appendBatch([mine], tokens: [1, 2])
        }
        #expect(throws: LanguageModelError.tokenOutOfRange(8, vocabularySize: 8)) {
            try model.evaluateTree(TokenTree(tokens: [1, 8], parents: [-1, 0]), after: mine)
        }
        #expect(mine.count == 1)
    }

    @Test func repeatedSessionInABatchAppendsInOrder() throws {
        let model = try Self.tinyModel()
        let session = try model.makeSession(prompt: [1])
        try model.appendBatch([session, session], tokens: [2, 3])
        let expected = try model.makeSession(prompt: [1, 2, 3])
        #expect(session.tokens == [1, 2, 3])
        #expect(maxDifference(session.logits, expected.logits) <= 1e-5)
    }

    @Test func craftedFilesGiveTypedErrors() throws {
        var missing = TinyGGUF.llama()
        missing.removeTensor("blk.0.ffn_up.weight")
        #expect(throws: GGUFError.missingTensor("blk.0.ffn_up.weight")) { try Self.tinyModel(missing) }

        var misShaped = TinyGGUF.llama()
        misShaped.tensors[3].dimensions = [16, 64]
        #expect(throws: GGUFError.tensorShapeMismatch(name: "blk.0.attn_q.weight", expected: [32, 32], found: [16, 64])) {
            try Self.tinyModel(misShaped)
        }

        #expect(
            throws: TransformerError.unsupportedArchitecture("gpt2", supported: ["llama", "qwen2", "qwen3", "gemma3", "phi3"])
        ) { try Self.tinyModel(.llama(architecture: "gpt2")) }

        var moreTokens = TinyGGUF.llama()
        moreTokens.metadata[moreTokens.metadata.count - 1].1 = .strings((0..<9).map { "t\($0)" })
        #expect(throws: TransformerError.vocabularyMismatch(tensor: "token_embd.weight", rows: 8, tokens: 9)) {
            try Self.tinyModel(moreTokens)
        }

        var longRope = TinyGGUF.llama()
        longRope.tensors.append(.init(name: "rope_factors_long.weight", dimensions: [8], data: Array(repeating: 0, count: 32)))
        #expect(
            throws: TransformerError.unsupportedHyperparameter(name: "rope_factors_long.weight", value: "LongRoPE frequency factors")
        ) { try Self.tinyModel(longRope) }

        var halfLongRope = TinyGGUF.llama(architecture: "phi3")
        halfLongRope.tensors.append(.init(name: "rope_factors_long.weight", dimensions: [8], data: Array(repeating: 0, count: 32)))
        #expect(
            throws: TransformerError.unsupportedHyperparameter(
                name: "rope_factors_long.weight", value: "LongRoPE needs both rope_factors_long and rope_factors_short")
        ) { try Self.tinyModel(halfLongRope) }

        var zeroFactors = TinyGGUF.llama()
        zeroFactors.tensors.append(.init(name: "rope_freqs.weight", dimensions: [8], data: Array(repeating: 0, count: 32)))
        #expect(
            throws: TransformerError.unsupportedHyperparameter(name: "rope_freqs.weight", value: "0.0 (must be finite and positive)")
        ) { try Self.tinyModel(zeroFactors) }

        var integerNorm = TinyGGUF.llama()
        integerNorm.tensors[1] = .init(name: "output_norm.weight", dimensions: [32], type: 26, data: integerNorm.tensors[1].data)
        #expect(throws: TransformerError.unsupportedTensorType(name: "output_norm.weight", type: "I32")) {
            try Self.tinyModel(integerNorm)
        }

        #expect(throws: TransformerError.invalidThreadCount(0)) {
            try LlamaModel(file: GGUFFile(bytes: TinyGGUF.llama().bytes), threads: 0)
        }
    }

    /// Each architecture names the tensor it needs that a llama-shaped file lacks or shapes
    /// differently.
    @Test(arguments: [
        ("qwen2", GGUFError.missingTensor("blk.0.attn_q.bias")),
        ("qwen3", GGUFError.missingTensor("blk.0.attn_q_norm.weight")),
        ("gemma3", GGUFError.missingTensor("blk.0.attn_q_norm.weight")),
        ("phi3", GGUFError.tensorShapeMismatch(name: "blk.0.ffn_up.weight", expected: [32, 128], found: [32, 64])),
    ])
    func architecturesNameTheirMissingTensors(architecture: String, error: GGUFError) throws {
        #expect(throws: error) { try Self.tinyModel(.llama(architecture: architecture)) }
    }
}
