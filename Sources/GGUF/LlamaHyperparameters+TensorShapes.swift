/// The tensors a llama model needs and the shapes its hyper-parameters imply, in ggml order
/// (`ne0` first), with the names llama.cpp's converter writes (`LLM_TENSOR_*` for LLM_ARCH_LLAMA).
extension LlamaHyperparameters {
    /// One expected tensor.
    public struct ExpectedTensor: Sendable, Equatable {
        /// Tensor name, e.g. `"blk.3.ffn_down.weight"`.
        public let name: String
        /// Shape in ggml order (`ne0`, the row length, first).
        public let shape: [Int]
        /// Whether the model is complete without it (`output.weight`: absent when the output
        /// projection is tied to the token embedding).
        public let isOptional: Bool
    }

    /// Every tensor a llama model with these hyper-parameters has, in file order.
    public var expectedTensors: [ExpectedTensor] {
        let d = embeddingLength
        var tensors: [ExpectedTensor] = [
            .init(name: "token_embd.weight", shape: [d, vocabularySize], isOptional: false),
            .init(name: "output_norm.weight", shape: [d], isOptional: false),
            .init(name: "output.weight", shape: [d, vocabularySize], isOptional: true),
        ]
        for layer in 0..<blockCount {
            let prefix = "blk.\(layer)."
            let shapes: [(String, [Int])] = [
                ("attn_norm", [d]),
                ("attn_q", [d, queryWidth]),
                ("attn_k", [d, keyValueWidth]),
                ("attn_v", [d, keyValueWidth]),
                ("attn_output", [queryWidth, d]),
                ("ffn_norm", [d]),
                ("ffn_gate", [d, feedForwardLength]),
                ("ffn_up", [d, feedForwardLength]),
                ("ffn_down", [feedForwardLength, d]),
            ]
            for (suffix, shape) in shapes {
                tensors.append(.init(name: prefix + suffix + ".weight", shape: shape, isOptional: false))
            }
        }
        return tensors
    }

    /// Checks that `file` holds every expected tensor with the expected shape (trailing
    /// dimensions of 1 are ignored, as ggml pads shapes to four dimensions with ones).
    ///
    /// - Throws: `GGUFError.missingTensor` or `.tensorShapeMismatch(name:expected:found:)`.
    public func validateTensors(in file: GGUFFile) throws(GGUFError) {
        for expected in expectedTensors {
            guard let tensor = file.tensor(named: expected.name) else {
                if expected.isOptional { continue }
                throw .missingTensor(expected.name)
            }
            guard Self.padded(tensor.dimensions) == Self.padded(expected.shape) else {
                throw .tensorShapeMismatch(name: expected.name, expected: expected.shape, found: tensor.dimensions)
            }
        }
    }

    private static func padded(_ shape: [Int]) -> [Int] {
        shape + Array(repeating: 1, count: max(0, 4 - shape.count))
    }
}
