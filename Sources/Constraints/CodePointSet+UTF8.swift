extension CodePointSet {
    /// The UTF-8 encodings of the scalars in `range` as byte-range sequences: a byte string is
    /// the encoding of a scalar in `range` exactly when it matches one of the sequences
    /// (byte `i` in range `i` of the sequence). `range` must hold no surrogates.
    static func utf8Sequences(_ range: ClosedRange<UInt32>) -> [[ClosedRange<UInt8>]] {
        var out: [[ClosedRange<UInt8>]] = []
        split(range.lowerBound, range.upperBound, into: &out)
        return out
    }

    private static func split(_ start: UInt32, _ end: UInt32, into out: inout [[ClosedRange<UInt8>]]) {
        for boundary: UInt32 in [0x7F, 0x7FF, 0xFFFF] where start <= boundary && end > boundary {
            split(start, boundary, into: &out)
            split(boundary + 1, end, into: &out)
            return
        }
        let length = encodedLength(start)
        for i in 1..<max(length, 1) {
            let mask: UInt32 = (1 << (6 * UInt32(i))) - 1
            if start & ~mask != end & ~mask {
                if start & mask != 0 {
                    split(start, start | mask, into: &out)
                    split((start | mask) + 1, end, into: &out)
                    return
                }
                if end & mask != mask {
                    split(start, (end & ~mask) - 1, into: &out)
                    split(end & ~mask, end, into: &out)
                    return
                }
            }
        }
        let a = encode(start)
        let b = encode(end)
        out.append(zip(a, b).map { $0...$1 })
    }

    /// The number of bytes in the UTF-8 encoding of scalar value `v`.
    static func encodedLength(_ v: UInt32) -> Int {
        v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4
    }

    /// UTF-8 encoding of scalar value `v`.
    static func encode(_ v: UInt32) -> [UInt8] {
        switch encodedLength(v) {
        case 1: return [UInt8(v)]
        case 2: return [UInt8(0xC0 | v >> 6), UInt8(0x80 | v & 0x3F)]
        case 3: return [UInt8(0xE0 | v >> 12), UInt8(0x80 | (v >> 6) & 0x3F), UInt8(0x80 | v & 0x3F)]
        default:
            return [UInt8(0xF0 | v >> 18), UInt8(0x80 | (v >> 12) & 0x3F),
                    UInt8(0x80 | (v >> 6) & 0x3F), UInt8(0x80 | v & 0x3F)]
        }
    }
}
