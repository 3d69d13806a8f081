import Decoding

/// A tokenizer is the ``Decoding/TokenDecoder`` a ``Decoding/Generator`` needs to stream text and
/// find stop strings: `Generator(model: model, strategy: strategy, decoder: tokenizer, …)`.
extension Tokenizer: TokenDecoder {
    /// The bytes of `token`; empty for a control token (markup such as `<|im_end|>` prints
    /// nothing), as ``decode(_:skipSpecialTokens:)`` with `skipSpecialTokens: true`.
    ///
    /// - Throws: ``TokenizerError/tokenOutOfRange(id:vocabularySize:)`` for an id outside the vocabulary.
    public func bytes(for token: Int) throws -> [UInt8] {
        guard token >= 0, token < vocabularySize else {
            throw TokenizerError.tokenOutOfRange(id: token, vocabularySize: vocabularySize)
        }
        return printedBytes(token)
    }
}

extension Tokenizer {
    /// Every token's bytes as ``bytes(for:)`` gives them (control tokens empty), index = id:
    /// the one table constraints (`TokenBytes`), stop strings and printed pieces of generated
    /// text use. O(vocabulary).
    public var byteTable: [[UInt8]] {
        (0..<vocabularySize).map(printedBytes)
    }

    /// The bytes `id` prints as generated text: its bytes, or none for a control token. The
    /// one place that rule lives; `id` must be in the vocabulary.
    private func printedBytes(_ id: Int) -> [UInt8] {
        isControl(id) ? [] : tokenBytes(id)
    }
}
