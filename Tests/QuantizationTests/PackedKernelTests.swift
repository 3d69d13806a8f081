import GGUF
import Quantization
import Testing

/// The packed layout's kernels (`QuantizedMatrix.Layout.packed`) for every quantized type, on the
/// random blocks of `IntegerKernelTests` (extreme scales, zero blocks) with a row count that
/// leaves the last 16-row group partly empty: bit for bit against their definition at every level
/// this CPU has, batch invariant bit for bit (batch sizes 1–17, any row split), close to the ggml
/// layout's results, and the same rows when expanded.
@Suite struct PackedKernelTests {
    static let types = IntegerKernelTests.types
    static let rows = 37, columns = 768

    /// The packed arithmetic written out from the ggml blocks (CKernels.h): per block one exact
    /// integer sum (Q6_K: one per 16-value half), `acc = fma(Float(sum), d · scale, acc)` (Q6_K:
    /// d · s_h per half), then `acc = fma(m, sum_b, acc)` for the types with a minimum.
    static func definition(
        _ type: GGMLType, row: ArraySlice<UInt8>, quants: UnsafeBufferPointer<Int8>, scales: UnsafeBufferPointer<Float>,
        sums: UnsafeBufferPointer<Float>
    ) -> Float {
        var acc: Float = 0
        for b in 0..<scales.count {
            let blk = IntegerKernelReference.block(type, row: row, index: b)
            var half = [0, 0]
            for j in 0..<32 { half[j / 16] += blk.weights[j] * Int(quants[32 * b + j]) }
            if type == .q6_K {
                acc = acc.addingProduct(Float(half[0]), (blk.d * Float(blk.halfScales.0)) * scales[b])
                acc = acc.addingProduct(Float(half[1]), (blk.d * Float(blk.halfScales.1)) * scales[b])
            } else {
                acc = acc.addingProduct(Float(half[0] + half[1]), blk.d * scales[b])
                if IntegerKernelReference.typesWithMinimum.contains(type) { acc = acc.addingProduct(blk.m, sums[b]) }
            }
        }
        return acc
    }

    @Test(arguments: types)
    func everyLevelComputesTheDefinition(type: GGMLType) throws {
        let owned = try IntegerKernelTests.RandomMatrix(type, rows: Self.rows, columns: Self.columns, seed: 700 + UInt64(type.rawValue))
        let packed = try owned.matrix.packed()
        #expect(packed.layout == .packed)
        let tokens = 6
        let acts = try QuantizedActivations(columns: Self.columns, capacity: tokens)
        try acts.quantize(RandomBlocks.activations(columns: Self.columns, tokens: tokens, seed: 701))
        var expected = [Float](repeating: 0, count: Self.rows * tokens)
        for t in 0..<tokens {
            let (quants, scales, sums) = acts.quantized(ofToken: t)
            for r in 0..<Self.rows {
                expected[t * Self.rows + r] = Self.definition(type, row: owned.row(r), quants: quants, scales: scales, sums: sums)
            }
        }
        #expect(expected.allSatisfy { $0.isFinite })
        for level in KernelLevel.allCases where level <= .best {
            let y = try IntegerKernelTests.multiply(packed, acts, level: level)
            #expect(y.map(\.bitPattern) == expected.map(\.bitPattern), "\(type) \(level)")
        }
    }

    /// Each token of a batch of 1–17 gets the bits it gets alone, at every level, with the rows
    /// split at places that cut 16-row groups.
    @Test(arguments: types)
    func batchInvariant(type: GGMLType) throws {
        let owned = try IntegerKernelTests.RandomMatrix(type, rows: Self.rows, columns: Self.columns, seed: 710 + UInt64(type.rawValue))
        let packed = try owned.matrix.packed()
        let x = RandomBlocks.activations(columns: Self.columns, tokens: 17, seed: 711)
        let single = try QuantizedActivations(columns: Self.columns)
        var alone: [[Float]] = []
        for t in 0..<17 {
            try single.quantize(Array(x[(t * Self.columns)..<((t + 1) * Self.columns)]))
            alone.append(try IntegerKernelTests.multiply(packed, single, level: .scalar))
        }
        let batch = try QuantizedActivations(columns: Self.columns, capacity: 17)
        for count in 1...17 {
            try batch.quantize(Array(x[..<(count * Self.columns)]))
            for level in KernelLevel.allCases where level <= .best {
                var y = [Float](repeating: .nan, count: Self.rows * count)
                try y.withUnsafeMutableBufferPointer { out in
                    for range in [0..<5, 5..<21, 21..<Self.rows] {
                        try packed.multiply(batch, into: out.baseAddress!, rows: range, level: level)
                    }
                }
                for t in 0..<count {
                    #expect(
                        Array(y[(t * Self.rows)..<((t + 1) * Self.rows)]).map(\.bitPattern) == alone[t].map(\.bitPattern),
                        "\(type) \(level) token \(t) of \(count)")
                }
            }
        }
    }

    /// Against the ggml layout's kernels on the same activations: both sum exact integer products
    /// per block and differ only in Float32 rounding (the ggml order rounds 8 lanes per block, the
    /// packed one 1–2 multiply-adds per block), so |Δ| ≤ (2 · blocks + 8) · 2⁻²⁴ · Σ_b |d_b · s_b ·
    /// Σ_j |w_j a_j|| + the offset chain's share; with 24 blocks that is < 4e-6 of Σ|w x̂|. We allow 1e-5.
    @Test(arguments: types)
    func closeToTheGGMLLayout(type: GGMLType) throws {
        let owned = try IntegerKernelTests.RandomMatrix(type, rows: Self.rows, columns: Self.columns, seed: 720 + UInt64(type.rawValue))
        let packed = try owned.matrix.packed()
        let acts = try QuantizedActivations(columns: Self.columns)
        try acts.quantize(RandomBlocks.activations(columns: Self.columns, tokens: 1, seed: 721))
        let (quants, scales, _) = acts.quantized(ofToken: 0)
        let seen = (0..<Self.columns).map { Float(quants[$0]) * scales[$0 / 32] }
        let ours = try IntegerKernelTests.multiply(packed, acts, level: .best)
        let ggml = try IntegerKernelTests.multiply(owned.matrix, acts, level: .best)
        for r in 0..<Self.rows {
            let w = try owned.matrix.dequantizeRow(r)
            let magnitude = zip(w, seen).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
            #expect(abs(Double(ours[r]) - Double(ggml[r])) <= 1e-5 * magnitude + 1e-30, "\(type) row \(r)")
        }
    }

    @Test(arguments: types)
    func rowsExpandAsTheGGMLLayout(type: GGMLType) throws {
        let owned = try IntegerKernelTests.RandomMatrix(type, rows: Self.rows, columns: Self.columns, seed: 730 + UInt64(type.rawValue))
        let packed = try owned.matrix.packed()
        for r in 0..<Self.rows {
            #expect(try packed.dequantizeRow(r).map(\.bitPattern) == owned.matrix.dequantizeRow(r).map(\.bitPattern), "\(type) row \(r)")
        }
        #expect(throws: QuantizationError.rowsOutOfRange(requested: Self.rows..<(Self.rows + 1), rows: Self.rows)) {
            try packed.dequantizeRow(Self.rows)
        }
        #expect(throws: QuantizationError.packedLayout(operation: "rowBytes")) { try packed.rowBytes(0) }
    }

    @Test func floatTypesHaveNoPackedForm() throws {
        let bytes = [UInt8](repeating: 0, count: 4 * 64)
        try bytes.withUnsafeBytes { raw in
            let matrix = try QuantizedMatrix(type: .f32, rows: 2, columns: 32, base: raw.baseAddress!, byteCount: raw.count)
            #expect(throws: QuantizationError.unsupportedType(.f32, operation: "pack")) { try matrix.packed() }
        }
        #expect(
            QuantizationError.packedLayout(operation: "rowBytes").description
                == "rowBytes needs a matrix in ggml's row layout, and this one is packed")
    }
}
