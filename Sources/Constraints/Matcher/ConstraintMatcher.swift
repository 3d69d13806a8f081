import Decoding

/// The constraint state along one sequence's generated tokens: the one place a strategy tracks
/// where a constraint stands. Advance by a token, roll back, test a token without committing,
/// fill a mask.
///
/// A matcher is a value: copying forks it (a search beam, an SMC particle, a speculative
/// branch each hold their own copy, and advancing one never changes another). It keeps the
/// state after every committed token, so ``rollback(to:)`` is O(1) per token undone. The
/// expensive, unchanging parts (the trie, the mask cache) live in the shared
/// ``TokenConstraint``.
///
/// Where the generated text starts is learned from the sequence, not fixed when the matcher is
/// made: ``begin(at:)`` says it, or the first ``sync(to:)`` after creation or ``reset()``
/// takes the sequence it is given (in a generation, the prompt) as the part before the
/// constraint.
///
/// ```swift
/// let shared = try TokenConstraint(constraint: regex, table: table, stopTokens: [eos])
/// var matcher = ConstraintMatcher(shared)
/// try matcher.sync(to: session.tokens)        // learns the prompt length
/// var logits = …; try matcher.mask(&logits)   // locally constrained row
/// var branch = matcher                         // fork
/// if try branch.check(token) { try branch.advance(token) }
/// ```
public struct ConstraintMatcher<C: Constraint>: Sendable {
    /// The constraint bound to its vocabulary (shared by every copy).
    public let tokenConstraint: TokenConstraint<C>
    /// Index in a sequence of its first generated token; `nil` until ``begin(at:)`` or the
    /// first ``sync(to:)``.
    public private(set) var generationStart: Int?
    /// The generated tokens consumed so far, a final stop token included.
    public private(set) var tokens: [Int] = []
    /// `states[i]`: the state after `tokens[..<i]` (a stop token repeats the state before it).
    private var states: [C.State]

    /// A matcher at the constraint's start, not yet begun.
    public init(_ tokenConstraint: TokenConstraint<C>) {
        self.tokenConstraint = tokenConstraint
        states = [tokenConstraint.constraint.start]
    }

    /// The constraint state after the consumed tokens.
    public var state: C.State { states[states.count - 1] }

    /// Number of generated tokens consumed.
    public var position: Int { tokens.count }

    /// Whether the text so far is a complete member of the language (a stop token may follow).
    public var canStop: Bool { !isFinished && tokenConstraint.constraint.canStop(state) }

    /// Whether a stop token was consumed: nothing may follow it.
    public var isFinished: Bool { tokens.last.map(tokenConstraint.isStop) ?? false }

    /// The begin-sequence hook: the tokens of a sequence before index `generationStart` (the
    /// prompt) are outside the constraint. Goes back to the start state.
    public mutating func begin(at generationStart: Int) {
        self.generationStart = max(0, generationStart)
        rollback(to: 0)
    }

    /// Back to the start state, not begun (a new sequence starts).
    public mutating func reset() {
        generationStart = nil
        rollback(to: 0)
    }

    /// Brings the matcher to the generated part of `sequence` (every token of the sequence so
    /// far, prompt included): begins at `sequence.count` when not begun, rolls back to the
    /// longest common prefix of the consumed tokens and the generated part, and advances by the
    /// rest. In a generation loop that is one advance per step (none when the sequence is
    /// unchanged).
    ///
    /// - Throws: ``ConstraintError/rejectedToken(_:position:)`` for a generated token the
    ///   constraint does not allow, ``ConstraintError/tokenOutOfRange(_:vocabularySize:)``, the
    ///   constraint's errors. On a throw the matcher holds the tokens before the bad one.
    public mutating func sync(to sequence: [Int]) throws(ConstraintError) {
        if generationStart == nil { begin(at: sequence.count) }
        let start = generationStart ?? sequence.count
        let count = max(0, sequence.count - start)
        var common = 0
        let shared = min(count, tokens.count)
        while common < shared && sequence[start + common] == tokens[common] { common += 1 }
        rollback(to: common)
        while tokens.count < count { try advance(sequence[start + tokens.count]) }
    }

    /// Commits `token`.
    ///
    /// - Throws: ``ConstraintError/tokenOutOfRange(_:vocabularySize:)``,
    ///   ``ConstraintError/rejectedToken(_:position:)`` (also for any token after a stop token),
    ///   the constraint's errors.
    public mutating func advance(_ token: Int) throws(ConstraintError) {
        guard token >= 0 && token < tokenConstraint.vocabularySize else {
            throw .tokenOutOfRange(token, vocabularySize: tokenConstraint.vocabularySize)
        }
        guard !isFinished else { throw .rejectedToken(token, position: tokens.count) }
        let check = try tokenConstraint.check(token, after: state)
        guard check.passes else { throw .rejectedToken(token, position: tokens.count) }
        commit(token, check)
    }

    /// Commits `token` with the result of a check already made after the current state.
    mutating func commit(_ token: Int, _ check: TokenCheck<C.State>) {
        switch check {
        case .advanced(let next): states.append(next)
        case .stop, .rejected: states.append(state)
        }
        tokens.append(token)
    }

    /// Whether `token` may follow the consumed tokens; commits nothing.
    ///
    /// - Throws: the constraint's ``ConstraintError`` (a state limit).
    public func check(_ token: Int) throws(ConstraintError) -> Bool {
        guard !isFinished else { return false }
        return try tokenConstraint.check(token, after: state).passes
    }

    /// Undoes the last `count` committed tokens (fewer if fewer were committed).
    public mutating func rollback(_ count: Int = 1) {
        rollback(to: max(0, tokens.count - count))
    }

    /// Undoes committed tokens until `position` remain.
    public mutating func rollback(to position: Int) {
        let keep = max(0, min(position, tokens.count))
        guard keep < tokens.count else { return }
        tokens.removeSubrange(keep...)
        states.removeSubrange((keep + 1)...)
    }

    /// Every token that may follow the consumed tokens (none after a stop token), from the
    /// shared cache when this state's mask was computed before.
    ///
    /// - Throws: the constraint's ``ConstraintError`` (a state limit).
    public func allowedTokens() throws(ConstraintError) -> TokenMask {
        guard !isFinished else { return TokenMask(vocabularySize: tokenConstraint.vocabularySize) }
        return try tokenConstraint.allowedTokens(after: state)
    }

    /// ``allowedTokens()``, throwing when nothing is allowed.
    ///
    /// - Throws: ``ConstraintError/deadEnd(position:)`` with the number of tokens consumed, and
    ///   the constraint's errors.
    public func requireAllowedTokens() throws(ConstraintError) -> TokenMask {
        let mask = try allowedTokens()
        if mask.isEmpty { throw .deadEnd(position: tokens.count) }
        return mask
    }

    /// Sets every token of `logits` that may not follow to `-infinity`.
    ///
    /// - Throws: ``ConstraintError/deadEnd(position:)`` when nothing is allowed,
    ///   ``ConstraintError/vocabularyMismatch(expected:actual:)``, the constraint's errors.
    public func mask(_ logits: inout Logits) throws {
        try logits.apply(requireAllowedTokens())
    }
}
