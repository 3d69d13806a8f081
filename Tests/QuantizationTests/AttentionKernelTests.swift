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

    /// Key counts below one run of sixteen and across runs (the AVX-512 path reduces sixteen keys at once).
    @Test(arguments: [64, 48, 32, 20], [7, 37])
    func scoresFollowTheSixteenLaneOrder(dim: Int, keys: Int) {
        let rows = 5, heads = 3
        let keyStride = dim * 2 + 3, rowStride = heads * dim + 5, scoreRowStride = heads * keys + 1
        let keyData = TestData.uniform(count: keys * keyStride, scale: 4, seed: 60)
        let queryData = TestData.uniform(count: rows * rowStride, scale: 4, seed: 61)
        let scale: Float = 0.125
        for level in [Int32(CK_ISA_SCALAR), Int32(CK_ISA_AVX2), Int32(CK_ISA_VNNI), Int32(CK_ISA_AVX512)] {
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

    @Test(arguments: [64, 48, 20])
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
        for level in [Int32(CK_ISA_SCALAR), Int32(CK_ISA_AVX2), Int32(CK_ISA_VNNI), Int32(CK_ISA_AVX512)] {
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

    /// ggml's vectorized `expf`, lane by lane: n = round(x·log₂e) by the 1.5·2²³ shift, b = x − n·ln 2
    /// in two fused steps, a degree-5 polynomial by fused multiply-adds, then j·2ⁿ rounded once.
    static func ggmlExp(_ x: Float) -> Float {
        let shift: Float = 0x1.8p23
        let n = shift.addingProduct(x, 0x1.715476p+0) - shift
        if n.isNaN { return n }
        if n.magnitude > 192 { return n <= 0 ? 0 : .infinity }
        let b = x.addingProduct(-n, 0x1.62e4p-1).addingProduct(-n, 0x1.7f7d1cp-20)
        let u = b * b
        let high = Float(0x1.573e2ep-5).addingProduct(0x1.0e4020p-7, b)
        let middle = Float(0x1.fffdb6p-2).addingProduct(0x1.555e66p-3, b)
        let low = Float(1).addingProduct(0x1.ffffecp-1, b)
        let j = low.addingProduct(middle.addingProduct(high, u), u)
        return Float(sign: .plus, exponent: Int(n), significand: j)
    }

    /// Softmax as llama.cpp's CPU attention computes it, then rounded to binary16: e = expf(s − max),
    /// summed in blocks of sixteen (by halves, zero-padded), blocks added in Double, scaled by the
    /// Float inverse of the total.
    static func softmax(_ scores: [Float]) -> [Float] {
        let top = scores.max() ?? 0
        let e = scores.map { ggmlExp($0 - top) }
        var total = 0.0
        for start in stride(from: 0, to: e.count, by: 16) {
            var block = [Float](repeating: 0, count: 16)
            for l in 0..<min(16, e.count - start) { block[l] = e[start + l] }
            var width = 8
            while width >= 1 {
                for l in 0..<width { block[l] = block[l] + block[l + width] }
                width /= 2
            }
            total += Double(block[0])
        }
        let inverse = Float(1 / total)
        return e.map { Float(Float16($0 * inverse)) }
    }

    /// Every level gives the definition's bits, for short, block-sized and long rows, with spreads
    /// wide enough that some terms are subnormal or vanish.
    @Test(arguments: [1, 5, 16, 17, 33, 200])
    func softmaxFollowsLlamaCppsArithmetic(count: Int) {
        for spread: Float in [1, 12, 110] {
            let scores = TestData.uniform(count: count, scale: spread, seed: UInt64(65 + count))
            let want = Self.softmax(scores)
            for level in [Int32(CK_ISA_SCALAR), Int32(CK_ISA_AVX2), Int32(CK_ISA_AVX512)] {
                var got = scores
                got.withUnsafeMutableBufferPointer { ck_attention_softmax(level, $0.baseAddress!, Int64(count)) }
                #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "level \(level), spread \(spread)")
            }
        }
        var empty: [Float] = [1]
        empty.withUnsafeMutableBufferPointer { ck_attention_softmax(Int32(CK_ISA_AVX512), $0.baseAddress!, 0) }
        #expect(empty == [1])
    }

    /// The sixteen value lanes are summed by halves (8 + 8, 4 + 4, 2 + 2, 1 + 1) per dimension.
    @Test(arguments: [64, 48, 20])
    func laneSumsGoByHalves(dim: Int) {
        let lanes = TestData.uniform(count: 16 * dim, scale: 5, seed: 66)
        var want = [Float](repeating: 0, count: dim)
        for i in 0..<dim {
            var v = (0..<16).map { lanes[$0 * dim + i] }
            var width = 8
            while width >= 1 {
                for l in 0..<width { v[l] = v[l] + v[l + width] }
                width /= 2
            }
            want[i] = v[0]
        }
        for level in [Int32(CK_ISA_SCALAR), Int32(CK_ISA_AVX512)] {
            var got = [Float](repeating: .nan, count: dim)
            lanes.withUnsafeBufferPointer { l in
                got.withUnsafeMutableBufferPointer { ck_attention_lanes_sum(level, l.baseAddress!, Int64(dim), $0.baseAddress!) }
            }
            #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "level \(level)")
        }
    }
}
