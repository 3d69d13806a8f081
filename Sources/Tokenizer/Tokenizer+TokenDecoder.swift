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
        return isControl(token) ? [] : tokenBytes(token)
    }
}
