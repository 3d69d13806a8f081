/// The constraint state after a growing history, cached so a generation loop advances it by one
/// token per step (or takes the state a check already computed), and recomputed from the start
/// when the history is not an extension of the cached one.
struct ConstraintCursor<C: Constraint>: Sendable {
    let checker: TokenChecker<C>
    private var tokens: [Int] = []
    private var state: C.State
    /// A token just drawn and the state after it (nil for a stop token), used when the next
    /// history extends the cached one by exactly that token.
    var pending: (token: Int, state: C.State?)?

    init(checker: TokenChecker<C>) {
        self.checker = checker
        state = checker.constraint.start
    }

    /// The state after `history` minus its first `prefixLength` tokens.
    ///
    /// - Throws: ``ConstraintError/tokenOutOfRange(_:vocabularySize:)``,
    ///   ``ConstraintError/rejectedToken(_:position:)``, the constraint's errors.
    mutating func state(after history: [Int], prefixLength: Int) throws(ConstraintError) -> C.State {
        let count = max(0, history.count - prefixLength)
        let start = history.count - count
        if count < tokens.count || !history[start..<(start + tokens.count)].elementsEqual(tokens) {
            reset()
        }
        while tokens.count < count {
            let token = history[start + tokens.count]
            guard token >= 0, token < checker.table.count else {
                throw .tokenOutOfRange(token, vocabularySize: checker.table.count)
            }
            if let pending, pending.token == token, let next = pending.state {
                state = next
            } else {
                var next: C.State?
                guard try checker.check(token, after: state, next: &next), let advanced = next else {
                    throw .rejectedToken(token, position: tokens.count)
                }
                state = advanced
            }
            pending = nil
            tokens.append(token)
        }
        return state
    }

    /// Back to the start state.
    mutating func reset() {
        tokens = []
        state = checker.constraint.start
        pending = nil
    }
}
