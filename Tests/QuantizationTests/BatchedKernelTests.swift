import GGUF
import Quantization
import Testing

/// The tiled integer kernels (4 or 8 rows × 1 token for one token, 2 or 4 rows × 4 tokens for batches, and
/// the smaller edge tiles) and the vectorized activation quantizer, against their definitions.
@Suite struct BatchedKernelTests {
    static let rows = 29, columns = 96

    /// Any row range, any batch size, any level: the same bits as one call over every row at the
    /// scalar level, so tile shapes and edges never change a result.
    @Test(arguments: [GGMLType.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K], [1, 3, 4, 6, 9, 16, 17])
    func rowRangesAndBatchSizesGiveTheScalarBits(type: GGMLType, tokens: Int) throws {
        let columns = type.blockSize == 256 ? 512 : Self.columns
        let owned = try OwnedMatrix(
            values: TestData.uniform(count: Self.rows * columns, seed: 40), type: type, rows: Self.rows,
            columns: columns)
        let acts = try QuantizedActivations(columns: columns, capacity: tokens, scaleFormat: .half)
        try acts.quantize(TestData.uniform(count: columns * tokens, scale: 2, seed: UInt64(41 + tokens)))
        let reference = try MatrixKernelTests.multiply(owned.matrix, acts, level: .scalar, tokens: tokens)
        for level in KernelLevel.allCases where level <= .best {
            for range in [0..<Self.rows, 1..<6, 3..<4, 5..<22, 22..<29, 28..<29, 2..<11] {
                var y = [Float](repeating: .nan, count: Self.rows * tokens)
                try y.withUnsafeMutableBufferPointer {
                    try owned.matrix.multiply(acts, into: $0.baseAddress!, rows: range, level: level)
                }
                for t in 0..<tokens {
                    let got = range.map { y[t * Self.rows + $0].bitPattern }
                    let want = range.map { reference[t * Self.rows + $0].bitPattern }
                    #expect(got == want, "\(level), rows \(range), token \(t)")
                }
            }
        }
    }

    /// Activation blocks follow their definition exactly: scale = max|x| / 127, quants =
    /// round(x · 127 / max|x|) with ties to even, clamped to ±127; sum = scale · Σ quants; a block
    /// of zeros gets scale 0. Covers exact ties, a zero block, tiny and negative values.
    @Test func activationQuantizationFollowsItsDefinition() throws {
        let blocks = 6
        var x = TestData.uniform(count: 32 * blocks, scale: 3, seed: 42)
        for j in 0..<32 { x[32 + j] = 0 }
        for j in 0..<32 { x[64 + j] = Float(j - 16) + 0.5 }  // max 15.5: x · 127/15.5 hits halves
        for j in 0..<32 { x[96 + j] = Float(j % 2 == 0 ? -1 : 1) * 127 * Float(j) / 31 }  // exact ties ±k+0.5 and ±127
        for j in 0..<32 { x[128 + j] *= 1e-30 }
        let acts = try QuantizedActivations(columns: 32 * blocks)
        try acts.quantize(x)
        let (quants, scales, sums) = acts.quantized(ofToken: 0)
        for b in 0..<blocks {
            let block = x[(32 * b)..<(32 * b + 32)]
            let amax = block.map { abs($0) }.max() ?? 0
            let inverse: Float = amax != 0 ? 127 / amax : 0
            let expected = block.map { Int8(max(-127, min(127, ($0 * inverse).rounded(.toNearestOrEven)))) }
            #expect(Array(quants[(32 * b)..<(32 * b + 32)]) == expected, "block \(b)")
            #expect(scales[b].bitPattern == (amax / 127).bitPattern, "block \(b)")
            let total = expected.reduce(0) { $0 + Int($1) }
            #expect(sums[b].bitPattern == ((amax / 127) * Float(total)).bitPattern, "block \(b)")
        }
    }
}
