import Decoding

extension Logits {
    /// Sets every token outside `mask` to `-infinity`.
    ///
    /// - Throws: ``ConstraintError/vocabularyMismatch(expected:actual:)`` when the mask was made
    ///   for another vocabulary size; ``SamplingError/allTokensMasked`` when every allowed token
    ///   was already masked.
    /// - Complexity: O(vocabulary).
    public mutating func apply(_ mask: TokenMask) throws {
        guard mask.vocabularySize == count else {
            throw ConstraintError.vocabularyMismatch(expected: mask.vocabularySize, actual: count)
        }
        try withMutableValues { values in
            for w in mask.words.indices {
                let word = mask.words[w]
                if word == ~0 { continue }
                let base = w << 6
                for bit in 0..<min(64, values.count - base) where word & (1 << UInt64(bit)) == 0 {
                    values[base + bit] = -.infinity
                }
            }
        }
    }
}
