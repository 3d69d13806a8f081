import CKernels
import Testing

/// `ck_round_to_half` (F16C where the CPU has it, portable otherwise), which the forward pass
/// uses to round keys, values and queries as llama.cpp's F16 cache does, against Swift's own
/// `Float(Float16(x))`.
@Suite struct HalfRoundingTests {
    /// Every finite half value, the midpoints between neighbours (ties go to even), one float
    /// ulp either side of each midpoint, subnormals, the overflow edge and infinities.
    @Test func roundsLikeFloat16Conversion() {
        var values: [Float] = [0, -0, .infinity, -.infinity, 65504, 65519.99, 65520, 65536, 1e9, -1e9, 1e-8, -1e-8, Float.leastNonzeroMagnitude, Float.leastNormalMagnitude / 3]
        var previous = Float(Float16(bitPattern: 0))
        for bits in UInt16(1)...UInt16(0x7BFF) {
            let next = Float(Float16(bitPattern: bits))
            let mid = (previous + next) / 2
            for v in [next, mid, mid.nextUp, mid.nextDown] { values += [v, -v] }
            previous = next
        }
        var rounded = values
        rounded.withUnsafeMutableBufferPointer { ck_round_to_half($0.baseAddress!, Int64($0.count)) }
        let expected = values.map { Float(Float16($0)) }
        let mismatches = zip(rounded, expected).enumerated().filter { $0.element.0.bitPattern != $0.element.1.bitPattern }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5).map { (values[$0.offset], $0.element.0, $0.element.1) })")
        #expect(values.count > 200_000)
    }
}
