import GGUF
import Quantization
import Testing

/// Dequantization of hand-built blocks against the layouts as ggml-common.h defines them,
/// computed here independently of the kernels' code: value by value from the struct fields.
@Suite struct BlockLayoutTests {
    /// Little-endian bytes of a half-precision value.
    static func half(_ value: Float) -> [UInt8] {
        let bits = Float16(value).bitPattern
        return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
    }

    static func dequantize(_ type: GGMLType, _ bytes: [UInt8], count: Int) throws -> [Float] {
        try bytes.withUnsafeBytes { try Dequantizer.dequantize(type, bytes: $0, count: count) }
    }

    @Test func q4_0() throws {
        let qs = TestData.bytes(count: 16, seed: 1)
        let values = try Self.dequantize(.q4_0, Self.half(0.5) + qs, count: 32)
        for j in 0..<16 {
            #expect(values[j] == Float(Int(qs[j] & 0xF) - 8) * 0.5)
            #expect(values[j + 16] == Float(Int(qs[j] >> 4) - 8) * 0.5)
        }
    }

    @Test func q4_1() throws {
        let qs = TestData.bytes(count: 16, seed: 2)
        let values = try Self.dequantize(.q4_1, Self.half(0.25) + Self.half(-1.5) + qs, count: 32)
        for j in 0..<16 {
            #expect(values[j] == Float(qs[j] & 0xF) * 0.25 - 1.5)
            #expect(values[j + 16] == Float(qs[j] >> 4) * 0.25 - 1.5)
        }
    }

    @Test func q8_0() throws {
        let qs = TestData.bytes(count: 32, seed: 3)
        let values = try Self.dequantize(.q8_0, Self.half(0.125) + qs, count: 32)
        for j in 0..<32 { #expect(values[j] == Float(Int8(bitPattern: qs[j])) * 0.125) }
    }

    /// Q5_0 / Q5_1: value j < 16 is the low nibble of qs[j] with bit j of the little-endian
    /// 32-bit qh as fifth bit, value j + 16 the high nibble with bit j + 16.
    static func fifthBitValues(qh: [UInt8], qs: [UInt8]) -> [Int] {
        let word = UInt32(qh[0]) | UInt32(qh[1]) << 8 | UInt32(qh[2]) << 16 | UInt32(qh[3]) << 24
        return (0..<32).map { e in
            let nibble = e < 16 ? qs[e] & 0xF : qs[e - 16] >> 4
            return Int(nibble) | Int((word >> UInt32(e)) & 1) << 4
        }
    }

    @Test func q5_0() throws {
        let qh = TestData.bytes(count: 4, seed: 20), qs = TestData.bytes(count: 16, seed: 21)
        let values = try Self.dequantize(.q5_0, Self.half(0.5) + qh + qs, count: 32)
        let q = Self.fifthBitValues(qh: qh, qs: qs)
        for e in 0..<32 { #expect(values[e] == Float(q[e] - 16) * 0.5, "value \(e)") }
    }

    @Test func q5_1() throws {
        let qh = TestData.bytes(count: 4, seed: 22), qs = TestData.bytes(count: 16, seed: 23)
        let values = try Self.dequantize(.q5_1, Self.half(0.25) + Self.half(-3) + qh + qs, count: 32)
        let q = Self.fifthBitValues(qh: qh, qs: qs)
        for e in 0..<32 { #expect(values[e] == Float(q[e]) * 0.25 - 3, "value \(e)") }
    }

    /// Twelve bytes holding eight 6-bit scales and eight 6-bit minimums: entries 0–3 in the low
    /// 6 bits of bytes 0–3 (scales) and 4–7 (minimums); entries 4–7 as low nibbles in bytes 8–11
    /// (scale low, minimum high) with their top two bits in the top bits of bytes 0–3 / 4–7.
    static func packedScales(_ scales: [UInt8], _ mins: [UInt8]) -> [UInt8] {
        var packed = [UInt8](repeating: 0, count: 12)
        for j in 0..<4 {
            packed[j] = scales[j] | ((scales[j + 4] >> 4) << 6)
            packed[j + 4] = mins[j] | ((mins[j + 4] >> 4) << 6)
            packed[j + 8] = (scales[j + 4] & 0xF) | ((mins[j + 4] & 0xF) << 4)
        }
        return packed
    }

    static let kScales: [UInt8] = [3, 63, 17, 40, 21, 50, 33, 9]
    static let kMins: [UInt8] = [60, 1, 44, 0, 35, 62, 19, 27]

    @Test func q4_K() throws {
        let qs = TestData.bytes(count: 128, seed: 4)
        let block = Self.half(0.5) + Self.half(0.25) + Self.packedScales(Self.kScales, Self.kMins) + qs
        let values = try Self.dequantize(.q4_K, block, count: 256)
        for e in 0..<256 {
            let sub = e / 32, byte = qs[32 * (sub / 2) + e % 32]
            let q = sub % 2 == 0 ? byte & 0xF : byte >> 4
            let expected = 0.5 * Float(Self.kScales[sub]) * Float(q) - 0.25 * Float(Self.kMins[sub])
            #expect(values[e] == expected, "value \(e)")
        }
    }

    @Test func q5_K() throws {
        let qh = TestData.bytes(count: 32, seed: 5), qs = TestData.bytes(count: 128, seed: 6)
        let block = Self.half(0.5) + Self.half(0.25) + Self.packedScales(Self.kScales, Self.kMins) + qh + qs
        let values = try Self.dequantize(.q5_K, block, count: 256)
        for e in 0..<256 {
            let sub = e / 32, l = e % 32, byte = qs[32 * (sub / 2) + l]
            let low = sub % 2 == 0 ? byte & 0xF : byte >> 4
            let high = (qh[l] >> sub) & 1  // sub-block j takes bit j of qh[l]
            let expected = 0.5 * Float(Self.kScales[sub]) * Float(Int(low) + 16 * Int(high)) - 0.25 * Float(Self.kMins[sub])
            #expect(values[e] == expected, "value \(e)")
        }
    }

    @Test func q6_K() throws {
        let ql = TestData.bytes(count: 128, seed: 7), qh = TestData.bytes(count: 64, seed: 8)
        let scales: [Int8] = [-128, 127, 5, -7, 64, -1, 0, 33, 12, -50, 99, 2, -3, 77, -90, 1]
        let block = ql + qh + scales.map { UInt8(bitPattern: $0) } + Self.half(0.0625)
        let values = try Self.dequantize(.q6_K, block, count: 256)
        for e in 0..<256 {
            let half = e / 128, quarter = (e % 128) / 32, l = e % 32
            let lowByte = ql[64 * half + 32 * (quarter % 2) + l]
            let low = quarter < 2 ? lowByte & 0xF : lowByte >> 4
            let high = (qh[32 * half + l] >> (2 * quarter)) & 3
            let q = Int(low | (high << 4)) - 32
            let expected = 0.0625 * Float(scales[e / 16]) * Float(q)
            #expect(values[e] == expected, "value \(e)")
        }
    }

    /// Every one of the 65 536 half-precision bit patterns reads back as Swift's `Float16` does,
    /// and every non-NaN one survives float → half exactly.
    @Test func everyHalfPattern() throws {
        let patterns = (0...UInt16.max).map { $0 }
        let bytes = patterns.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let values = try Self.dequantize(.f16, bytes, count: patterns.count)
        for (bits, value) in zip(patterns, values) {
            let expected = Float(Float16(bitPattern: bits))
            #expect(value.bitPattern == expected.bitPattern || (value.isNaN && expected.isNaN))
        }
        let finite = values.filter { !$0.isNaN }
        let again = try Quantizer.quantize(finite, as: .f16)
        let expected = finite.flatMap { value -> [UInt8] in
            let bits = Float16(value).bitPattern
            return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
        }
        #expect(again == expected)
    }

    /// Float → half rounds to nearest even like Swift's conversion, subnormals and overflow included.
    @Test func halfRounding() throws {
        let values = TestData.uniform(count: 4096, scale: 70000, seed: 9) + TestData.uniform(count: 4096, scale: 1e-4, seed: 10)
            + [65519, 65520, 65504, 5.9604645e-08, 2.9802322e-08, 8.940697e-08, -0.0, .infinity, -.infinity]
        let packed = try Quantizer.quantize(values, as: .f16)
        for (i, value) in values.enumerated() {
            let bits = UInt16(packed[2 * i]) | UInt16(packed[2 * i + 1]) << 8
            #expect(bits == Float16(value).bitPattern, "value \(value)")
        }
    }

    @Test func bf16() throws {
        let values: [Float] = [1, -2.5, 3.140625, 1e-30, -0.0]
        let bytes = values.flatMap { v -> [UInt8] in
            let bits = UInt16(v.bitPattern >> 16)
            return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
        }
        #expect(try Self.dequantize(.bf16, bytes, count: 5).map(\.bitPattern) == values.map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000).bitPattern })
    }
}
