import Foundation
import GGUF
import Quantization
import Testing

/// The default model's tensors (SmolLM2-135M-Instruct Q4_1: Q4_1 layers, Q8_0 tied embedding,
/// F32 norms) through the readers and kernels.
@Suite(.enabled(if: DefaultModel.modelTestsEnabled)) struct ModelTensorTests {
    static func open() throws -> GGUFFile {
        let url = try #require(DefaultModel.locate(from: URL(fileURLWithPath: #filePath)), "default model not found; run Scripts/setup.sh")
        return try GGUFFile(contentsOf: url)
    }

    /// Every tensor dequantizes to finite values, and the file uses only supported types.
    @Test func everyTensorDequantizesFinite() throws {
        let file = try Self.open()
        var buffer = [Float](repeating: 0, count: file.tensors.map(\.elementCount).max() ?? 0)
        var types: Set<GGMLType> = []
        for tensor in file.tensors {
            types.insert(tensor.type)
            let bytes = file.bytes(of: tensor)
            try buffer.withUnsafeMutableBufferPointer { out in
                try Dequantizer.dequantize(tensor.type, from: bytes.baseAddress!, count: tensor.elementCount, into: out.baseAddress!)
                let values = UnsafeBufferPointer(rebasing: out[0..<tensor.elementCount])
                #expect(values.allSatisfy { $0.isFinite }, "\(tensor.name) has NaN or Inf")
                #expect(values.contains { $0 != 0 }, "\(tensor.name) is all zeros")
            }
        }
        #expect(types.isSubset(of: Dequantizer.supportedTypes))
        #expect(types.isSuperset(of: [.q4_1, .q8_0, .f32]))
    }

    /// Real weights (Q4_1 projections, the Q8_0 embedding used as output matrix) times a realistic
    /// activation (embedding rows times the first layer's F32 norm weights, as the forward pass
    /// feeds them; a bare Q8_0 embedding row would requantize exactly): kernel vs float reference
    /// within the 8-bit-activation bound.
    @Test(arguments: ["blk.0.attn_q.weight", "blk.0.ffn_down.weight", "token_embd.weight"])
    func realMatricesAgreeWithReference(name: String) throws {
        let file = try Self.open()
        let matrix = try QuantizedMatrix(file: file, tensor: name)
        let x = try Self.activation(file, columns: matrix.columns)
        let acts = try QuantizedActivations(columns: matrix.columns)
        try acts.quantize(x)
        var y = [Float](repeating: .nan, count: matrix.rows)
        try y.withUnsafeMutableBufferPointer { try matrix.multiply(acts, into: $0.baseAddress!, rows: 0..<matrix.rows) }
        var worst = 0.0
        for r in stride(from: 0, to: matrix.rows, by: max(1, matrix.rows / 97)) {
            let w = try matrix.dequantizeRow(r)
            let (reference, scale) = w.withUnsafeBufferPointer { w in x.withUnsafeBufferPointer { (TestData.dot(w, $0), TestData.absDot(w, $0)) } }
            worst = max(worst, abs(Double(y[r]) - reference) / scale)
        }
        #expect(worst <= 1e-2)
        #expect(y.allSatisfy { $0.isFinite })
        print("\(name) [\(matrix.rows)×\(matrix.columns) \(matrix.type)]: worst |error| / Σ|w x| = \(worst)")
    }

    /// An activation as the forward pass feeds the matrices: embedding rows times the first
    /// layer's F32 norm weights, `columns / 576` rows side by side.
    static func activation(_ file: GGUFFile, columns: Int) throws -> [Float] {
        let embedding = try QuantizedMatrix(file: file, tensor: "token_embd.weight")
        let norm = try QuantizedMatrix(file: file, tensor: "blk.0.attn_norm.weight").dequantizeRow(0)
        var x = [Float](repeating: 0, count: columns)
        for chunk in 0..<(columns / embedding.columns) {
            let row = try embedding.dequantizeRow(1000 + chunk)
            for c in 0..<embedding.columns { x[chunk * embedding.columns + c] = row[c] * norm[c] }
        }
        return x
    }

    /// The real `ffn_down` weights (576 × 1536, whole K-quant super-blocks) requantized to the
    /// types the default model does not use, times a realistic activation: kernel vs the float
    /// reference of the requantized weights, within the same 1 % of Σ|w x| as the model's own
    /// types (the 8-bit activation error does not depend on the weight format).
    @Test(arguments: [GGMLType.q5_0, .q5_1, .q4_K, .q5_K, .q6_K])
    func requantizedRealMatrixAgreesWithReference(type: GGMLType) throws {
        let file = try Self.open()
        let source = try QuantizedMatrix(file: file, tensor: "blk.0.ffn_down.weight")
        let values = try (0..<source.rows).flatMap { try source.dequantizeRow($0) }
        let owned = try OwnedMatrix(values: values, type: type, rows: source.rows, columns: source.columns)
        let x = try Self.activation(file, columns: source.columns)
        let acts = try QuantizedActivations(columns: source.columns, scaleFormat: .half)
        try acts.quantize(x)
        var y = [Float](repeating: .nan, count: source.rows)
        try y.withUnsafeMutableBufferPointer { try owned.matrix.multiply(acts, into: $0.baseAddress!, rows: 0..<source.rows) }
        var worst = 0.0
        for r in 0..<source.rows {
            let w = owned.floats[(r * source.columns)..<((r + 1) * source.columns)]
            let (reference, scale) = w.withUnsafeBufferPointer { w in x.withUnsafeBufferPointer { (TestData.dot(w, $0), TestData.absDot(w, $0)) } }
            worst = max(worst, abs(Double(y[r]) - reference) / scale)
        }
        #expect(worst <= 1e-2)
        print("ffn_down as \(type): worst |error| / Σ|w x| = \(worst)")
    }

    @Test func matrixShapesFollowGGML() throws {
        let file = try Self.open()
        let q = try QuantizedMatrix(file: file, tensor: "blk.0.attn_q.weight")
        #expect((q.rows, q.columns, q.type) == (576, 576, .q4_1))
        let down = try QuantizedMatrix(file: file, tensor: "blk.0.ffn_down.weight")
        #expect((down.rows, down.columns) == (576, 1536))
        let embedding = try QuantizedMatrix(file: file, tensor: "token_embd.weight")
        #expect((embedding.rows, embedding.columns, embedding.type) == (49152, 576, .q8_0))
        #expect(throws: QuantizationError.missingTensor("no.such.weight")) { _ = try QuantizedMatrix(file: file, tensor: "no.such.weight") }
    }
}
