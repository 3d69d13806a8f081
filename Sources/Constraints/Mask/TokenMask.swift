/// A set of allowed token ids as a bitset over the vocabulary.
public struct TokenMask: Sendable, Hashable {
    /// Bit `t % 64` of word `t / 64` is set when token `t` is allowed.
    var words: [UInt64]
    /// Number of tokens in the vocabulary.
    public let vocabularySize: Int

    /// A mask allowing nothing.
    public init(vocabularySize: Int) {
        self.vocabularySize = vocabularySize
        words = [UInt64](repeating: 0, count: (vocabularySize + 63) / 64)
    }

    /// Whether `token` is allowed (`false` outside the vocabulary).
    @inline(__always)
    public func contains(_ token: Int) -> Bool {
        guard token >= 0, token < vocabularySize else { return false }
        return words[token >> 6] & (1 << UInt64(token & 63)) != 0
    }

    /// Allows `token` (which must be in the vocabulary).
    @inline(__always)
    public mutating func insert(_ token: Int) {
        words[token >> 6] |= 1 << UInt64(token & 63)
    }

    /// Number of allowed tokens.
    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Whether no token is allowed.
    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// The allowed ids in increasing order.
    public var tokens: [Int] {
        var result: [Int] = []
        for (w, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                result.append(w << 6 | bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return result
    }
}
