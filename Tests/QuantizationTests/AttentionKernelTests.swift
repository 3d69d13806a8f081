import CKernels
import Testing

/// The attention kernels of CKernels (query·key scores, probability-weighted value lanes) against
/// their definitions, bit for bit, at every instruction-set level: the forward pass relies on
/// them summing exactly as ggml's AVX-512 F16 products do.
@Suite struct AttentionKernelTests {
    /// Lane `l` sums `a[i]·b[i]` for `i ≡ l (mod 16)` in order, each product rounded; then the
    /// lanes by halves (8 + 8, 4 + 4, 2 + 2, 1 + 1).
    static func sixteenLaneDot(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        var lanes = [Float](repeating: 0, count: 16)
        for (i, (x, y)) in zip(a, b).enumerated() {
            let product = x * y
            lanes[i % 16] = lanes[i % 16] + product
        }
        var width = 8
        while width >= 1 {
            for l in 0..<width { lanes[l] = lanes[l] + lanes[l + width] }
            width /= 2
        }
        return lanes[0]
    }

    @Test(arguments: [64, 48, 20])
    func scoresFollowTheSixteenLaneOrder(dim: Int) {
        let rows = 5, heads = 3, keys = 7
        let keyStride = dim * 2 + 3, rowStride = heads * dim + 5, scoreRowStride = heads * keys + 1
        let keyData = TestData.uniform(count: keys * keyStride, scale: 4, seed: 60)
        let queryData = TestData.uniform(count: rows * rowStride, scale: 4, seed: 61)
        let scale: Float = 0.125
        for level in [Int32(CK_ISA_SCALAR), Int32(CK_ISA_AVX2), Int32(CK_ISA_VNNI)] {
            var scores = [Float](repeating: .nan, count: rows * scoreRowStride)
            keyData.withUnsafeBufferPointer { k in
                queryData.withUnsafeBufferPointer { q in
                    scores.withUnsafeMutableBufferPointer { s in
                        ck_attention_scores(
                            level, k.baseAddress!, Int64(keyStride), Int64(keys), q.baseAddress!, Int64(rows),
                            Int64(rowStride), Int64(heads), Int64(dim), Int64(dim), scale, s.baseAddress!,
                            Int64(scoreRowStride), Int64(keys))
                    }
                }
            }
            for r in 0..<rows {
                for h in 0..<heads {
                    for p in 0..<keys {
                        let q = queryData[(r * rowStride + h * dim)..<(r * rowStride + h * dim + dim)]
                        let k = keyData[(p * keyStride)..<(p * keyStride + dim)]
                        let want = Self.sixteenLaneDot(q, k) * scale
                        let got = scores[r * scoreRowStride + h * keys + p]
                        #expect(got.bitPattern == want.bitPattern, "level \(level), row \(r), head \(h), key \(p)")
                    }
                }
            }
        }
    }

    @Test(arguments: [64, 20])
    func valueLanesAddRoundedProductsInOrder(dim: Int) {
        let count = 37, stride = dim + 7, firstLane = 13
        let values = TestData.uniform(count: count * stride, scale: 3, seed: 62)
        let probabilities = TestData.uniform(count: count, scale: 1, seed: 63)
        let start = TestData.uniform(count: 16 * dim, scale: 1, seed: 64)
        var want = start
        for n in 0..<count {
            let lane = (firstLane + n) % 16
            for i in 0..<dim {
                let product = probabilities[n] * values[n * stride + i]
                want[lane * dim + i] = want[lane * dim + i] + product
            }
        }
        for level in [Int32(CK_ISA_SCALAR), Int32(CK_ISA_AVX2), Int32(CK_ISA_VNNI)] {
            var lanes = start
            probabilities.withUnsafeBufferPointer { p in
                values.withUnsafeBufferPointer { v in
                    lanes.withUnsafeMutableBufferPointer { l in
                        ck_attention_value_lanes(
                            level, p.baseAddress!, v.baseAddress!, Int64(stride), Int64(count), Int64(firstLane),
                            Int64(dim), l.baseAddress!)
                    }
                }
            }
            #expect(lanes.map(\.bitPattern) == want.map(\.bitPattern), "level \(level)")
        }
    }
}
