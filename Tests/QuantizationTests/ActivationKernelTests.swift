import CKernels
import Foundation
import Testing

/// The SwiGLU and GeGLU kernels of CKernels against their definitions, bit for bit, at every level.
@Suite struct ActivationKernelTests {
    /// silu(g) · u with silu(g) = g / (1 + expf(−g)) and ggml's expf, each step rounded.
    static func swiGLU(_ g: Float, _ u: Float) -> Float {
        g / (1 + AttentionKernelTests.ggmlExp(0 - g)) * u
    }

    /// Short, tile-sized and model-sized rows; magnitudes up to 150 reach expf's overflow and
    /// underflow (silu → −0 and g).
    @Test(arguments: [1, 7, 16, 33, 1536])
    func swiGLUFollowsGgmlsArithmetic(count: Int) {
        for spread: Float in [1, 8, 150] {
            let gate = TestData.uniform(count: count, scale: spread, seed: UInt64(70 + count))
            let up = TestData.uniform(count: count, scale: 2, seed: UInt64(71 + count))
            let want = zip(gate, up).map { Self.swiGLU($0, $1) }
            for level in [Int32(CK_ISA_SCALAR), Int32(CK_ISA_AVX512)] {
                var got = gate
                got.withUnsafeMutableBufferPointer { g in
                    up.withUnsafeBufferPointer { u in ck_swiglu(level, g.baseAddress!, u.baseAddress!, Int64(count)) }
                }
                #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "level \(level), spread \(spread)")
            }
        }
    }

    /// GELU (tanh approximation) of a binary16 value in Float, rounded to binary16: ggml's table entry.
    static func geluHalf(_ bits: UInt16) -> UInt16 {
        let h = Float(Float16(bitPattern: bits))
        let gelu = 0.5 * h * (1 + tanh(0.79788456080286535587989211986876 * h * (1 + 0.044715 * h * h)))
        return Float16(gelu).bitPattern
    }

    /// gelu(g) · u: 0 at or below −10, g · u at or above 10, else the table entry of g rounded to
    /// binary16, times u; spreads up to 20 reach both clamps and ties of the binary16 rounding.
    @Test(arguments: [1, 7, 16, 33, 2048])
    func geGLUReadsTheTableAsGgmlDoes(count: Int) {
        let table = (0...UInt16.max).map(Self.geluHalf)
        for spread: Float in [1, 4, 20] {
            let gate = TestData.uniform(count: count, scale: spread, seed: UInt64(90 + count))
            let up = TestData.uniform(count: count, scale: 2, seed: UInt64(91 + count))
            let want = zip(gate, up).map { g, u -> Float in
                if g <= -10 { return 0 }
                if g >= 10 { return g * u }
                return Float(Float16(bitPattern: table[Int(Float16(g).bitPattern)])) * u
            }
            for level in [Int32(CK_ISA_SCALAR), Int32(CK_ISA_AVX512)] {
                var got = gate
                got.withUnsafeMutableBufferPointer { g in
                    up.withUnsafeBufferPointer { u in
                        table.withUnsafeBufferPointer { t in
                            ck_geglu_table(level, g.baseAddress!, u.baseAddress!, t.baseAddress!, Int64(count))
                        }
                    }
                }
                #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "level \(level), spread \(spread)")
            }
        }
    }
}
