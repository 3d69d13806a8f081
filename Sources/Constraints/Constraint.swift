/// An incremental recognizer over bytes: the language a constrained generator must stay in.
///
/// A constraint starts in ``start``, moves one byte at a time with
/// ``advance(from:byte:into:)`` (or several bytes at once with ``advance(_:by:)``), and says
/// with ``canStop(_:)`` whether the bytes read so far form a complete member of the language.
/// A state is a value: beams, particles and mask walks each hold their own and advancing one
/// never changes another. Because constraints read bytes, not token ids, one constraint serves
/// every vocabulary: tokens become bytes through a ``TokenBytes`` table given from outside.
///
/// "Dead" (`nil`/`false`) means no continuation of the bytes can ever be accepted. A state that
/// is not dead may still be in the middle of a UTF-8 character: a token that ends inside a
/// multi-byte character is not rejected for that.
public protocol Constraint: Sendable {
    /// The recognizer's state after some bytes; cheap to copy.
    associatedtype State: Sendable

    /// The state before any byte.
    var start: State { get }

    /// Advances `state` by one byte, writing the successor into `next` (whose storage is reused,
    /// so a walk that keeps one state per depth allocates nothing once warm).
    ///
    /// - Returns: `false` when the byte kills the state (then `next` is unspecified).
    /// - Throws: ``ConstraintError/stateLimitExceeded(limit:)`` when the work for this byte
    ///   would exceed the constraint's bound.
    func advance(from state: State, byte: UInt8, into next: inout State) throws(ConstraintError) -> Bool

    /// Advances `state` by `bytes`; `nil` when some prefix of them kills it.
    func advance(_ state: State, by bytes: [UInt8]) throws(ConstraintError) -> State?

    /// Whether the bytes read so far form a complete member of the language (EOS may follow).
    func canStop(_ state: State) -> Bool

    /// The tokens that may follow `state`: those whose bytes keep the constraint alive, plus
    /// `stopTokens` where the constraint may stop. A default walks `trie` advancing byte by
    /// byte (memoizing transitions when states are `Hashable`); constraints may do better.
    ///
    /// - Throws: the constraint's ``ConstraintError`` (a state limit).
    func allowedTokens(after state: State, trie: TokenTrie, stopTokens: Set<Int>) throws(ConstraintError) -> TokenMask
}

extension Constraint {
    /// Advances byte by byte with ``advance(from:byte:into:)``.
    public func advance(_ state: State, by bytes: [UInt8]) throws(ConstraintError) -> State? {
        var current = state
        var next = state
        for byte in bytes {
            guard try advance(from: current, byte: byte, into: &next) else { return nil }
            swap(&current, &next)
        }
        return current
    }

    /// Whether the constraint accepts `bytes` as a complete text.
    public func accepts(_ bytes: [UInt8]) throws(ConstraintError) -> Bool {
        guard let state = try advance(start, by: bytes) else { return false }
        return canStop(state)
    }

    /// Whether the constraint accepts the UTF-8 encoding of `text` as a complete text.
    public func accepts(_ text: String) throws(ConstraintError) -> Bool {
        try accepts(Array(text.utf8))
    }

    /// Whether the bytes of `text` can still be extended to an accepted text.
    public func acceptsPrefix(_ text: String) throws(ConstraintError) -> Bool {
        try advance(start, by: Array(text.utf8)) != nil
    }

    /// Tests a candidate token without committing: the state after `state` and the token's
    /// bytes, or `nil` when the token is not allowed.
    public func advance(_ state: State, token: Int, in table: TokenBytes) throws(ConstraintError) -> State? {
        try advance(state, by: table[token])
    }
}
