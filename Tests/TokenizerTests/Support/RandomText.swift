import Decoding

/// Random text mixing scripts, emoji, combining marks, digits, punctuation and whitespace runs.
enum RandomText {
    /// Scalar ranges to draw from, each picked with equal probability.
    static let ranges: [ClosedRange<UInt32>] = [
        0x20...0x7E,  // ASCII printable
        0x41...0x5A, 0x61...0x7A,  // ASCII letters (words)
        0x30...0x39, 0x660...0x669,  // digits, Arabic-Indic digits
        0xA0...0xFF, 0x100...0x17F,  // Latin-1, Latin Extended-A
        0x300...0x36F,  // combining diacritics
        0x391...0x3C9, 0x400...0x44F,  // Greek, Cyrillic
        0x5D0...0x5EA, 0x627...0x64A,  // Hebrew, Arabic
        0x3040...0x30FF, 0x4E00...0x9FFF, 0xAC00...0xD7A3,  // kana, CJK, Hangul
        0x1F300...0x1FAFF, 0x2600...0x27BF,  // emoji, symbols
        0xFE00...0xFE0F, 0x200D...0x200D,  // variation selectors, ZWJ
        // Astral planes 1–3 and 14–16 (unassigned scalars included). Planes 4–13 (lead bytes 0xF1,
        // 0xF2) are left out: the default vocabulary has no tokens for those bytes.
        0x10000...0x3FFFF, 0xE0000...0x10FFFF,
    ]
    static let whitespace: [Unicode.Scalar] = [" ", " ", " ", "\t", "\n", "\r", "\u{A0}", "\u{3000}", "\u{2028}", "\u{85}", "\u{2003}"]

    static func make(length: Int, using rng: inout SplitMix64) -> String {
        var scalars = String.UnicodeScalarView()
        while scalars.count < length {
            if Int.random(in: 0..<5, using: &rng) == 0 {
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    scalars.append(whitespace.randomElement(using: &rng)!)
                }
                continue
            }
            let range = ranges.randomElement(using: &rng)!
            let value = UInt32.random(in: range, using: &rng)
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
        }
        return String(scalars)
    }
}
