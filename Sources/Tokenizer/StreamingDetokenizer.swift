/// Turns ids into text as they are generated, never splitting a character.
///
/// Each ``append(_:)`` returns the text that became complete: a token's bytes may end inside a
/// UTF-8 character (byte-level BPE splits rare characters across tokens, SentencePiece falls back
/// to one `<0xHH>` token per byte), so up to three bytes of an unfinished character are held back
/// until the next token completes them. Pieces are whole, as llama.cpp's `llama_token_to_piece`:
/// SentencePiece's `▁` is a space, and the space prefix of a first token is kept (only
/// ``Tokenizer/decode(_:skipSpecialTokens:)`` strips it). Bytes that can
/// never become a character (a stray continuation byte, a sequence broken by another character)
/// come out at once as U+FFFD; ``finish()`` flushes a held-back tail as U+FFFD.
///
/// ```swift
/// var stream = StreamingDetokenizer(tokenizer: tokenizer)
/// for id in generated { print(try stream.append(id), terminator: "") }
/// print(stream.finish())
/// ```
public struct StreamingDetokenizer: Sendable {
    /// The tokenizer whose byte table decodes the ids.
    public let tokenizer: Tokenizer
    /// Whether control tokens (`<|im_end|>`, …) are left out of the text.
    public let skipSpecialTokens: Bool
    private var pending: [UInt8] = []

    /// A detokenizer with nothing held back.
    public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
        pending.reserveCapacity(8)
    }

    /// The bytes held back: the start of a character that the next token may complete (0–3 bytes).
    public var heldBackBytes: [UInt8] { pending }

    /// Adds one token and returns the text it completed (possibly empty).
    ///
    /// - Throws: ``TokenizerError/tokenOutOfRange(id:vocabularySize:)``; nothing is consumed then.
    public mutating func append(_ id: Int) throws(TokenizerError) -> String {
        guard id >= 0, id < tokenizer.vocabularySize else {
            throw .tokenOutOfRange(id: id, vocabularySize: tokenizer.vocabularySize)
        }
        if skipSpecialTokens, tokenizer.isControl(id) { return "" }
        pending.append(contentsOf: tokenizer.tokenByteTable[id])
        let held = pending.withUnsafeBufferPointer { UTF8Scanner.incompleteTailLength($0) }
        let cut = pending.count - held
        guard cut > 0 else { return "" }
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeFirst(cut)
        return text
    }

    /// Returns what is held back (as U+FFFD: an unfinished character) and empties the stream.
    public mutating func finish() -> String {
        defer { pending.removeAll(keepingCapacity: true) }
        return String(decoding: pending, as: UTF8.self)
    }
}
