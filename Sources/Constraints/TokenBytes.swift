/// The bytes each token stands for, indexed by token id: the bridge between a vocabulary and
/// byte-level ``Constraint``s (which never see token ids).
///
/// Special tokens that produce no text (BOS, EOS, control tokens) have an empty entry and are
/// never allowed by a mask except EOS, which ``TokenMask`` treats separately.
public struct TokenBytes: Sendable {
    /// `pieces[id]` is token `id`'s bytes.
    public let pieces: [[UInt8]]

    /// Wraps a table of token bytes.
    public init(_ pieces: [[UInt8]]) {
        self.pieces = pieces
    }

    /// Number of tokens.
    public var count: Int { pieces.count }

    /// The bytes of token `id`; `id` must be in `0..<count`.
    public subscript(id: Int) -> [UInt8] { pieces[id] }
}
