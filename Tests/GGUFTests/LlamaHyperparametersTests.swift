import GGUF
import Testing

/// Llama hyper-parameters and tensor shapes from crafted files: the valid tiny model passes, and
/// each inconsistency gets its own typed error.
@Suite struct LlamaHyperparametersTests {
    func hyperparameters(_ builder: GGUFBuilder) throws(GGUFError) -> LlamaHyperparameters {
        try LlamaHyperparameters(file: GGUFFile(bytes: builder.build()))
    }

    func error(_ builder: GGUFBuilder) -> GGUFError? {
        ggufError { () throws(GGUFError) in
            let file = try GGUFFile(bytes: builder.build())
            try LlamaHyperparameters(file: file).validateTensors(in: file)
        }
    }

    @Test func tinyModel() throws {
        let file = try GGUFFile(bytes: GGUFBuilder.tinyLlama().build())
        let hp = try LlamaHyperparameters(file: file)
        #expect(hp.blockCount == 2 && hp.embeddingLength == 8 && hp.feedForwardLength == 16)
        #expect(hp.headCount == 2 && hp.headCountKV == 1 && hp.headDimension == 4 && hp.groupSize == 2)
        #expect(hp.keyValueWidth == 4 && hp.queryWidth == 8)
        #expect(hp.vocabularySize == 4 && hp.contextLength == 64)
        #expect(hp.ropeFrequencyBase == 10_000 && hp.ropeDimensionCount == 4 && hp.rmsNormEpsilon == 1e-5)
        try hp.validateTensors(in: file)
        #expect(hp.expectedTensors.count == 3 + 2 * 9)
    }

    @Test func defaultsForOptionalKeys() throws {
        var builder = GGUFBuilder.tinyLlama()
        builder.remove("llama.rope.freq_base")
        builder.remove("llama.attention.head_count_kv")
        let hp = try hyperparameters(builder)
        #expect(hp.ropeFrequencyBase == 10_000)
        #expect(hp.headCountKV == 2)
    }

    @Test func otherArchitecture() {
        var builder = GGUFBuilder.tinyLlama()
        builder.set("general.architecture", .string("gemma3"))
        #expect(error(builder) == .unsupportedArchitecture("gemma3"))
    }

    @Test func missingArchitecture() {
        var builder = GGUFBuilder.tinyLlama()
        builder.remove("general.architecture")
        #expect(error(builder) == .missingKey("general.architecture"))
    }

    @Test func missingBlockCount() {
        var builder = GGUFBuilder.tinyLlama()
        builder.remove("llama.block_count")
        #expect(error(builder) == .missingKey("llama.block_count"))
    }

    @Test func blockCountAsString() {
        var builder = GGUFBuilder.tinyLlama()
        builder.set("llama.block_count", .string("30"))
        #expect(error(builder) == .typeMismatch(key: "llama.block_count", expected: "an integer", found: "STRING"))
    }

    @Test(arguments: [UInt32(0), 513, .max])
    func blockCountOutOfRange(count: UInt32) {
        var builder = GGUFBuilder.tinyLlama()
        builder.set("llama.block_count", .uint32(count))
        #expect(error(builder) == .invalidHyperparameter(
            key: "llama.block_count", value: "\(count)", reason: "must be between 1 and 512"))
    }

    @Test func headsThatDoNotDivideTheWidth() {
        var builder = GGUFBuilder.tinyLlama()
        builder.set("llama.attention.head_count", .uint32(3))
        #expect(error(builder) == .invalidHyperparameter(
            key: "llama.attention.head_count", value: "3", reason: "does not divide the width 8"))
    }

    @Test func keyValueHeadsThatDoNotDivideTheHeads() {
        var builder = GGUFBuilder.tinyLlama()
        builder.set("llama.attention.head_count", .uint32(4))
        builder.set("llama.attention.head_count_kv", .uint32(3))
        #expect(error(builder) == .invalidHyperparameter(
            key: "llama.attention.head_count_kv", value: "3", reason: "does not divide the 4 query heads"))
    }

    @Test func zeroHeads() {
        var builder = GGUFBuilder.tinyLlama()
        builder.set("llama.attention.head_count", .uint32(0))
        #expect(error(builder) == .invalidHyperparameter(
            key: "llama.attention.head_count", value: "0", reason: "must be between 1 and \(1 << 24)"))
    }

    @Test(arguments: [Float(0), -1e-5, .nan, .infinity])
    func invalidEpsilon(epsilon: Float) throws {
        var builder = GGUFBuilder.tinyLlama()
        builder.set("llama.attention.layer_norm_rms_epsilon", .float32(epsilon))
        guard case .invalidHyperparameter(let key, _, _) = error(builder) else {
            Issue.record("expected invalidHyperparameter")
            return
        }
        #expect(key == "llama.attention.layer_norm_rms_epsilon")
    }

    @Test func invalidRopeBase() {
        var builder = GGUFBuilder.tinyLlama()
        builder.set("llama.rope.freq_base", .float32(-1))
        guard case .invalidHyperparameter(let key, _, _) = error(builder) else {
            Issue.record("expected invalidHyperparameter")
            return
        }
        #expect(key == "llama.rope.freq_base")
    }

    @Test func ropeDimensionsAboveTheHeadDimension() {
        var builder = GGUFBuilder.tinyLlama()
        builder.add("llama.rope.dimension_count", .uint32(6))
        #expect(error(builder) == .invalidHyperparameter(
            key: "llama.rope.dimension_count", value: "6", reason: "must be even and at most the head dimension 4"))
    }

    @Test func missingVocabulary() {
        var builder = GGUFBuilder.tinyLlama()
        builder.remove("tokenizer.ggml.tokens")
        #expect(error(builder) == .missingKey("tokenizer.ggml.tokens"))
    }

    @Test func vocabularyOfTheWrongType() {
        var builder = GGUFBuilder.tinyLlama()
        builder.set("tokenizer.ggml.tokens", .array(.int32([1, 2])))
        #expect(error(builder) == .typeMismatch(
            key: "tokenizer.ggml.tokens", expected: "ARRAY of STRING", found: "ARRAY of INT32"))
    }

    @Test(arguments: ["token_embd.weight", "output_norm.weight", "blk.1.attn_v.weight", "blk.0.ffn_down.weight"])
    func missingTensor(name: String) {
        var builder = GGUFBuilder.tinyLlama()
        builder.tensors.removeAll { $0.name == Array(name.utf8) }
        #expect(error(builder) == .missingTensor(name))
    }

    @Test func transposedTensor() {
        var builder = GGUFBuilder.tinyLlama()
        let index = builder.tensors.firstIndex { $0.name == Array("blk.1.ffn_up.weight".utf8) }!
        builder.tensors[index].dimensions = [16, 8]
        #expect(error(builder) == .tensorShapeMismatch(name: "blk.1.ffn_up.weight", expected: [8, 16], found: [16, 8]))
    }

    @Test func keyValueProjectionOfTheWrongWidth() {
        var builder = GGUFBuilder.tinyLlama()
        let index = builder.tensors.firstIndex { $0.name == Array("blk.0.attn_k.weight".utf8) }!
        builder.tensors[index].dimensions = [8, 8]
        #expect(error(builder) == .tensorShapeMismatch(name: "blk.0.attn_k.weight", expected: [8, 4], found: [8, 8]))
    }

    @Test func embeddingOfTheWrongVocabularySize() {
        var builder = GGUFBuilder.tinyLlama()
        builder.set("tokenizer.ggml.tokens", .array(.string(["a", "b", "c"])))
        #expect(error(builder) == .tensorShapeMismatch(name: "token_embd.weight", expected: [8, 3], found: [8, 4]))
    }

    @Test func untiedOutputIsCheckedWhenPresent() throws {
        var builder = GGUFBuilder.tinyLlama()
        builder.addTensor("output.weight", [8, 4])
        #expect(error(builder) == nil)
        builder.tensors[builder.tensors.count - 1].dimensions = [8, 5]
        #expect(error(builder) == .tensorShapeMismatch(name: "output.weight", expected: [8, 4], found: [8, 5]))
    }

    @Test func trailingUnitDimensionsAreIgnored() throws {
        var builder = GGUFBuilder.tinyLlama()
        let index = builder.tensors.firstIndex { $0.name == Array("output_norm.weight".utf8) }!
        builder.tensors[index].dimensions = [8, 1]
        #expect(error(builder) == nil)
    }
}
