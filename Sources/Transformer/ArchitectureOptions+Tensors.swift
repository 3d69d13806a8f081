import GGUF

extension ArchitectureOptions {
    /// One tensor the architecture reads, with its shape in ggml order (`ne0` first).
    struct ExpectedTensor: Equatable {
        var name: String
        var shape: [Int]
        var isRequired: Bool
    }

    /// Every tensor a model of this architecture may read, with the names of llama.cpp's
    /// `LLM_TENSOR_*` table: optional ones (an untied output head, projection biases, `rope_freqs`)
    /// are checked only when present. A layer with `attn_qkv` uses the fused projection.
    func expectedTensors(_ hyper: LlamaHyperparameters, in file: GGUFFile) -> [ExpectedTensor] {
        let d = hyper.embeddingLength, q = hyper.queryWidth, kv = hyper.keyValueWidth, ff = hyper.feedForwardLength
        var tensors: [ExpectedTensor] = [
            .init(name: "token_embd.weight", shape: [d, hyper.vocabularySize], isRequired: true),
            .init(name: "output_norm.weight", shape: [d], isRequired: true),
            .init(name: "output.weight", shape: [d, hyper.vocabularySize], isRequired: false),
            .init(name: "output.bias", shape: [hyper.vocabularySize], isRequired: false),
            .init(name: "rope_freqs.weight", shape: [rotaryDimensions / 2], isRequired: false),
        ]
        if readsLongRoPEFactors {
            tensors.append(.init(name: "rope_factors_long.weight", shape: [rotaryDimensions / 2], isRequired: false))
            tensors.append(.init(name: "rope_factors_short.weight", shape: [rotaryDimensions / 2], isRequired: false))
        }
        for layer in 0..<hyper.blockCount {
            let prefix = "blk.\(layer)."
            func add(_ suffix: String, _ shape: [Int], required: Bool = true) {
                tensors.append(.init(name: prefix + suffix, shape: shape, isRequired: required))
            }
            add("attn_norm.weight", [d])
            if file.tensor(named: prefix + "attn_qkv.weight") != nil {
                add("attn_qkv.weight", [d, q + 2 * kv])
                add("attn_qkv.bias", [q + 2 * kv], required: false)
            } else {
                add("attn_q.weight", [d, q])
                add("attn_k.weight", [d, kv])
                add("attn_v.weight", [d, kv])
                add("attn_q.bias", [q], required: requiresProjectionBiases)
                add("attn_k.bias", [kv], required: requiresProjectionBiases)
                add("attn_v.bias", [kv], required: requiresProjectionBiases)
            }
            if normalizesQueriesAndKeys {
                add("attn_q_norm.weight", [hyper.headDimension])
                add("attn_k_norm.weight", [hyper.headDimension])
            }
            add("attn_output.weight", [q, d])
            if hasPostNorms {
                add("post_attention_norm.weight", [d])
                add("post_ffw_norm.weight", [d])
            }
            add("ffn_norm.weight", [d])
            if fusedGateUp {
                add("ffn_up.weight", [d, 2 * ff])
            } else {
                add("ffn_gate.weight", [d, ff])
                add("ffn_up.weight", [d, ff])
            }
            add("ffn_down.weight", [ff, d])
        }
        return tensors
    }

    /// Checks that `file` has every tensor the architecture needs, each of the expected shape
    /// (trailing dimensions of 1 ignored), and an embedding and output head with one row per token.
    ///
    /// - Throws: ``TransformerError/vocabularyMismatch(tensor:rows:tokens:)`` when the token
    ///   embedding or output head disagrees with `tokenizer.ggml.tokens`; `GGUFError.missingTensor`
    ///   or `.tensorShapeMismatch(name:expected:found:)` naming the tensor otherwise.
    func validateTensors(in file: GGUFFile, hyperparameters hyper: LlamaHyperparameters) throws {
        // LongRoPE factors where llama.cpp's graph would ignore them: refuse rather than run the
        // model with angles its authors did not train.
        let longRoPE = ["rope_factors_long.weight", "rope_factors_short.weight"].filter { file.tensor(named: $0) != nil }
        if !readsLongRoPEFactors, let name = longRoPE.first {
            throw TransformerError.unsupportedHyperparameter(name: name, value: "LongRoPE frequency factors")
        }
        if longRoPE.count == 1 {
            throw TransformerError.unsupportedHyperparameter(
                name: longRoPE[0], value: "LongRoPE needs both rope_factors_long and rope_factors_short")
        }
        for name in ["token_embd.weight", "output.weight"] {
            guard let tensor = file.tensor(named: name), tensor.dimensions.count >= 2 else { continue }
            if tensor.dimensions[0] == hyper.embeddingLength, tensor.dimensions[1] != hyper.vocabularySize {
                throw TransformerError.vocabularyMismatch(
                    tensor: name, rows: tensor.dimensions[1], tokens: hyper.vocabularySize)
            }
        }
        for expected in expectedTensors(hyper, in: file) {
            guard let tensor = file.tensor(named: expected.name) else {
                if expected.isRequired { throw GGUFError.missingTensor(expected.name) }
                continue
            }
            guard Self.padded(tensor.dimensions) == Self.padded(expected.shape) else {
                throw GGUFError.tensorShapeMismatch(name: expected.name, expected: expected.shape, found: tensor.dimensions)
            }
        }
    }

    private static func padded(_ shape: [Int]) -> [Int] {
        shape + Array(repeating: 1, count: max(0, 4 - shape.count))
    }

    /// Whether the model reads LongRoPE's `rope_factors_long` / `rope_factors_short`: Phi-3 files
    /// whenever they have them (llama.cpp's `phi3` graph), others when the scaling type says
    /// `longrope`.
    var readsLongRoPEFactors: Bool { architecture == .phi3 || ropeScaling == .longRoPE }
}
