import CKernels
import Testing

/// The SwiGLU kernel of CKernels against its definition, bit for bit, at every level.
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
}
