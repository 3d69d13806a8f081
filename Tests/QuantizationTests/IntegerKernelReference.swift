import Decoding
import GGUF
import Quantization

/// The integer matrix kernels' arithmetic, written out independently in Swift from the block
/// layouts of ggml-common.h and the contract in CKernels.h, so every kernel level can be checked
/// bit for bit against a definition rather than only against another kernel.
///
/// Per 32-value activation block b of a row: integer weights w_j with a scale d and an offset m
/// (value j = d · w_j + m; Q6_K instead d · s_{j/16} · w_j with int8 half-block scales s), 8 int32
/// lanes of 4 consecutive products (Q6_K: times s), each lane's float accumulator fed
/// `fma(d · xs_b, lane, acc)`, and for the types with a minimum a chain `fma(m, xsum_b, offset)`;
/// the result is ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)) + offset.
enum IntegerKernelReference {
    struct Block {
        var weights: [Int]
        var halfScales: (Int, Int) = (1, 1)
        var d: Float
        var m: Float = 0
    }

    static let typesWithMinimum: Set<GGMLType> = [.q4_1, .q5_1, .q4_K, .q5_K]

    static func half(_ bytes: ArraySlice<UInt8>, _ offset: Int) -> Float {
        let i = bytes.startIndex + offset
        return Float(Float16(bitPattern: UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8))
    }

    /// The 6-bit scale and minimum of sub-block j of a Q4_K / Q5_K super-block (`packed`: its 12
    /// scale bytes): entries 0–3 in the low 6 bits of bytes 0–3 and 4–7, entries 4–7 as nibbles of
    /// bytes 8–11 with their top two bits in the top bits of bytes 0–3 (scales) and 4–7 (minimums).
    static func scaleAndMin(_ packed: ArraySlice<UInt8>, _ j: Int) -> (Int, Int) {
        let p = Array(packed)
        if j < 4 { return (Int(p[j] & 63), Int(p[j + 4] & 63)) }
        return (Int(p[j + 4] & 0xF) | Int(p[j - 4] >> 6) << 4, Int(p[j + 4] >> 4) | Int(p[j] >> 6) << 4)
    }

    /// Activation block `b` of `row` (the row's bytes).
    static func block(_ type: GGMLType, row: ArraySlice<UInt8>, index b: Int) -> Block {
        let blockBytes = type.bytesPerBlock
        if type.blockSize == 256 {
            let start = row.startIndex + (b / 8) * blockBytes, j = b % 8
            let sb = row[start..<(start + blockBytes)]
            let at = { (i: Int) in Int(sb[sb.startIndex + i]) }
            if type == .q6_K {
                let h = j / 4, quarter = j % 4
                let w = (0..<32).map { l -> Int in
                    let low = (at(64 * h + 32 * (quarter % 2) + l) >> (4 * (quarter / 2))) & 0xF
                    let high = (at(128 + 32 * h + l) >> (2 * quarter)) & 3
                    return (low | high << 4) - 32
                }
                let s0 = Int(Int8(bitPattern: UInt8(at(192 + 2 * j)))), s1 = Int(Int8(bitPattern: UInt8(at(193 + 2 * j))))
                return Block(weights: w, halfScales: (s0, s1), d: half(sb, 208))
            }
            let (sc, mn) = scaleAndMin(sb[(sb.startIndex + 4)..<(sb.startIndex + 16)], j)
            let quantStart = type == .q4_K ? 16 : 48
            let w = (0..<32).map { l -> Int in
                let nibble = (at(quantStart + 32 * (j / 2) + l) >> (4 * (j % 2))) & 0xF
                return type == .q5_K ? nibble | ((at(16 + l) >> j) & 1) << 4 : nibble
            }
            return Block(weights: w, d: half(sb, 0) * Float(sc), m: -(half(sb, 2) * Float(mn)))
        }
        let start = row.startIndex + b * blockBytes
        let blk = row[start..<(start + blockBytes)]
        let at = { (i: Int) in Int(blk[blk.startIndex + i]) }
        switch type {
        case .q8_0:
            return Block(weights: (0..<32).map { Int(Int8(bitPattern: UInt8(at(2 + $0)))) }, d: half(blk, 0))
        case .q4_0:
            return Block(weights: (0..<32).map { e in (e < 16 ? at(2 + e) & 0xF : at(2 + e - 16) >> 4) - 8 }, d: half(blk, 0))
        case .q4_1:
            return Block(weights: (0..<32).map { e in e < 16 ? at(4 + e) & 0xF : at(4 + e - 16) >> 4 }, d: half(blk, 0), m: half(blk, 2))
        default:  // Q5_0, Q5_1
            let withMin = type == .q5_1, head = withMin ? 4 : 2
            let qh = (0..<4).reduce(0) { $0 | at(head + $1) << (8 * $1) }
            let w = (0..<32).map { e -> Int in
                let nibble = e < 16 ? at(head + 4 + e) & 0xF : at(head + 4 + e - 16) >> 4
                return (nibble | ((qh >> e) & 1) << 4) - (withMin ? 0 : 16)
            }
            return Block(weights: w, d: half(blk, 0), m: withMin ? half(blk, 2) : 0)
        }
    }

    /// The kernel's result for one row (`row`: its bytes) and one token (its quants, block scales
    /// and block sums).
    static func dot(
        _ type: GGMLType, row: ArraySlice<UInt8>, quants: UnsafeBufferPointer<Int8>, scales: UnsafeBufferPointer<Float>,
        sums: UnsafeBufferPointer<Float>
    ) -> Float {
        var lanes = [Float](repeating: 0, count: 8)
        var offset: Float = 0
        for b in 0..<scales.count {
            let blk = block(type, row: row, index: b)
            let scale = blk.d * scales[b]
            for k in 0..<8 {
                var s = 0
                for i in (4 * k)..<(4 * k + 4) { s += blk.weights[i] * Int(quants[32 * b + i]) }
                s *= k < 4 ? blk.halfScales.0 : blk.halfScales.1
                lanes[k] = lanes[k].addingProduct(scale, Float(s))  // fused, as fmaf
            }
            if typesWithMinimum.contains(type) { offset = offset.addingProduct(blk.m, sums[b]) }
        }
        let l = lanes
        return (((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]))) + offset
    }
}

/// Rows of random blocks: random quant bytes, half scales drawn from extremes (0, the smallest
/// subnormal, 65504, negative values) as well as ordinary ones, and some all-zero blocks.
enum RandomBlocks {
    static let halfScales: [Float] = [0, 5.9604645e-08, 6.1035156e-05, 0.001, 0.03125, 0.5, 3, 65504, -0.75, -65504]

    /// Byte offsets of a block's half-precision scale fields.
    static func scaleOffsets(_ type: GGMLType) -> [Int] {
        switch type {
        case .q4_1, .q5_1, .q4_K, .q5_K: [0, 2]
        case .q6_K: [208]
        default: [0]
        }
    }

    static func matrix(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let blocks = rows * columns / type.blockSize, size = type.bytesPerBlock
        var bytes = [UInt8](repeating: 0, count: blocks * size)
        for b in 0..<blocks {
            if rng.next() % 8 == 0 { continue }  // all zeros
            for i in 0..<size { bytes[b * size + i] = UInt8(truncatingIfNeeded: rng.next()) }
            for offset in scaleOffsets(type) {
                let value = halfScales[Int(rng.next() % UInt64(halfScales.count))]
                let bits = Float16(value).bitPattern
                bytes[b * size + offset] = UInt8(bits & 0xFF)
                bytes[b * size + offset + 1] = UInt8(bits >> 8)
            }
        }
        return bytes
    }

    /// Token vectors with blocks of very different magnitudes, some zero.
    static func activations(columns: Int, tokens: Int, seed: UInt64) -> [Float] {
        var x = TestData.uniform(count: columns * tokens, scale: 1, seed: seed)
        let magnitudes: [Float] = [0, 1e-20, 1e-3, 1, 50, 1e4]
        var rng = SplitMix64(seed: seed ^ 0x5555)
        for b in 0..<(x.count / 32) {
            let m = magnitudes[Int(rng.next() % UInt64(magnitudes.count))]
            for i in (32 * b)..<(32 * b + 32) { x[i] *= m }
        }
        return x
    }
}
