/// Turns a token id into the bytes it stands for, so that ``Generator`` can check stop strings
/// and stream text without depending on a tokenizer (the `Tokenizer` target provides one; a
/// test can pass a table).
public protocol TokenDecoder: Sendable {
    /// The bytes of `token` (empty for special tokens that print nothing).
    ///
    /// - Throws: when `token` is not in the decoder's vocabulary.
    func bytes(for token: Int) throws -> [UInt8]
}

extension TokenDecoder {
    /// Every token's bytes as ``bytes(for:)`` gives them, index = id: the table byte-level
    /// constraints and stop strings see (a tokenizer's control tokens empty). O(vocabulary).
    ///
    /// - Throws: the decoder's errors for an id it does not know.
    public func byteTable(vocabularySize: Int) throws -> [[UInt8]] {
        try (0..<vocabularySize).map { try bytes(for: $0) }
    }
}

/// A ``TokenDecoder`` from a closure or a table.
public struct ClosureTokenDecoder: TokenDecoder {
    private let decode: @Sendable (Int) throws -> [UInt8]

    /// A decoder that calls `decode`.
    public init(_ decode: @escaping @Sendable (Int) throws -> [UInt8]) {
        self.decode = decode
    }

    /// A decoder reading `table[token]`; an id outside the table throws
    /// ``SamplingError/tokenOutOfRange(_:vocabularySize:)``.
    public init(table: [[UInt8]]) {
        decode = { token in
            guard token >= 0 && token < table.count else {
                throw SamplingError.tokenOutOfRange(token, vocabularySize: table.count)
            }
            return table[token]
        }
    }

    /// The bytes of `token`.
    public func bytes(for token: Int) throws -> [UInt8] { try decode(token) }
}
