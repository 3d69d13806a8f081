/// Where a byte string ends inside a UTF-8 character.
enum UTF8Tail {
    /// If `bytes` ends with the first bytes of a multi-byte character (a lead byte and fewer
    /// continuation bytes than it announces), the index of that lead byte and how many
    /// continuation bytes are missing; otherwise `nil`. Validity is not checked here.
    static func incomplete(_ bytes: [UInt8]) -> (lead: Int, missing: Int)? {
        var i = bytes.count - 1
        var continuations = 0
        while i >= 0, continuations < 4, bytes[i] & 0xC0 == 0x80 {
            continuations += 1
            i -= 1
        }
        guard i >= 0 else { return nil }
        let needed: Int
        switch bytes[i] {
        case 0xC2...0xDF: needed = 1
        case 0xE0...0xEF: needed = 2
        case 0xF0...0xF4: needed = 3
        default: return nil
        }
        return continuations < needed ? (i, needed - continuations) : nil
    }

    /// The continuation bytes that can follow `prefix` (a lead byte and zero or more
    /// continuation bytes) in well-formed UTF-8 (no overlongs, surrogates or values above
    /// U+10FFFF).
    static func nextContinuations(after prefix: ArraySlice<UInt8>) -> ClosedRange<UInt8> {
        guard prefix.count == 1, let lead = prefix.first else { return 0x80...0xBF }
        switch lead {
        case 0xE0: return 0xA0...0xBF
        case 0xED: return 0x80...0x9F
        case 0xF0: return 0x90...0xBF
        case 0xF4: return 0x80...0x8F
        default: return 0x80...0xBF
        }
    }
}
