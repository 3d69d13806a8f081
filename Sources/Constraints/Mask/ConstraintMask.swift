import Decoding

/// A ``LogitProcessor`` that masks every token the constraint does not allow after the
/// sequence so far: the full mask of locally constrained decoding (sampling from
/// `p(t | prefix) · 1[t allowed]`, renormalized).
///
/// The processor keeps a ``ConstraintMatcher`` in step with the history it is given
/// (``ConstraintMatcher/sync(to:)``): the first history after creation or ``reset()`` is taken
/// as the part before the constraint (in a generation, the prompt) unless ``begin(at:)`` said
/// otherwise; then a generation loop costs one advance per call, and a chain applied to
/// unrelated continuations of that prompt (exact enumeration, search branches) rolls back to
/// the common prefix. Masks come from the ``TokenConstraint``'s cache when the state repeats.
///
/// Place it first in a chain so later truncation (top-k, top-p) sees only allowed tokens.
public struct ConstraintMask<C: Constraint>: LogitProcessor {
    /// The matcher that tracks the constraint along the history.
    public private(set) var matcher: ConstraintMatcher<C>
    /// Masks this processor took from the shared cache.
    public private(set) var maskCacheHits = 0

    /// A mask for `constraint` over the vocabulary `table` (the trie is built here unless given).
    ///
    /// - Throws: the errors of ``TokenConstraint/init(constraint:table:trie:stopTokens:maskCacheCapacity:)``.
    public init(constraint: C, table: TokenBytes, trie: TokenTrie? = nil, stopTokens: Set<Int>) throws(ConstraintError) {
        self.init(try TokenConstraint(constraint: constraint, table: table, trie: trie, stopTokens: stopTokens))
    }

    /// A mask over a shared ``TokenConstraint``.
    public init(_ tokenConstraint: TokenConstraint<C>) {
        matcher = ConstraintMatcher(tokenConstraint)
    }

    /// `constraint`.
    public var name: String { "constraint" }

    /// The constraint.
    public var constraint: C { matcher.tokenConstraint.constraint }

    /// Says where the generated text starts in the histories to come (see
    /// ``ConstraintMatcher/begin(at:)``).
    public mutating func begin(at generationStart: Int) {
        matcher.begin(at: generationStart)
    }

    /// The constraint state after `history` (the part before the generation start excluded).
    ///
    /// - Throws: the errors of ``ConstraintMatcher/sync(to:)``.
    public mutating func state(after history: [Int]) throws(ConstraintError) -> C.State {
        try matcher.sync(to: history)
        return matcher.state
    }

    /// Masks the tokens the constraint does not allow after `history`.
    ///
    /// - Throws: ``ConstraintError/deadEnd(position:)`` when nothing is allowed, the errors of
    ///   ``ConstraintMatcher/sync(to:)``, ``ConstraintError/vocabularyMismatch(expected:actual:)``.
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        try matcher.sync(to: history)
        if matcher.isFinished { throw ConstraintError.deadEnd(position: matcher.position) }
        let (mask, cached) = try matcher.tokenConstraint.mask(after: matcher.state)
        if cached { maskCacheHits += 1 }
        if mask.isEmpty { throw ConstraintError.deadEnd(position: matcher.position) }
        try logits.apply(mask)
    }

    /// Forgets the sequence (cached masks stay valid: they depend on the state only).
    public mutating func reset() {
        matcher.reset()
    }
}
