/// Well-formed UTF-8 per the Unicode Standard, table 3-7: no overlong forms, no surrogates,
/// nothing above U+10FFFF.
enum UTF8Scanner {
    /// The length of the well-formed prefix of a UTF-8 sequence starting at `start`:
    /// `complete` when a whole character is there, otherwise how many bytes form a valid but
    /// unfinished start (0 when the byte at `start` cannot start or continue a character here).
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (length: Int, complete: Bool) {
        let lead = bytes[start]
        let needed: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0x00...0x7F: return (1, true)
        case 0xC2...0xDF: needed = 2
        case 0xE0: needed = 3; secondRange = 0xA0...0xBF
        case 0xED: needed = 3; secondRange = 0x80...0x9F
        case 0xE1...0xEC, 0xEE...0xEF: needed = 3
        case 0xF0: needed = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: needed = 4
        case 0xF4: needed = 4; secondRange = 0x80...0x8F
        default: return (0, false)
        }
        var length = 1
        while length < needed {
            let index = start + length
            guard index < bytes.count else { return (length, false) }
            let range = length == 1 ? secondRange : 0x80...0xBF
            guard range.contains(bytes[index]) else { return (0, false) }
            length += 1
        }
        return (length, true)
    }

    /// The length of the symbol that starts at `start` when text is cut into characters for
    /// SentencePiece or Gemma 4 merging: a well-formed character's length, else 1.
    ///
    /// llama.cpp's `unicode_len_utf8` reads only the lead byte, so an invalid lead (0xDF before a
    /// space, 0xF5) swallows the next bytes, even part of the following character; byte fallback
    /// then splits that character into `<0xHH>` tokens, and a space (`▁`) comes back as the bytes of
    /// `▁`. Both agree on well-formed text; on invalid bytes this keeps `decode(encode(bytes:))`
    /// the identity (a stray byte is a symbol of its own).
    static func symbolLength(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int {
        if bytes[start] < 0x80 { return 1 }
        let (length, complete) = scan(bytes, at: start)
        return complete ? length : 1
    }

    /// How many bytes at the end of `bytes` are the valid, unfinished start of a character
    /// (0…3): what a stream must hold back until more bytes come.
    static func incompleteTailLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let count = bytes.count
        var start = count - 1
        while start >= 0, start >= count - 3, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= 0 else { return 0 }
        let (length, complete) = scan(bytes, at: start)
        return !complete && length > 0 && start + length == count ? length : 0
    }
}
