/// The constraint checks `c(t)` of one AWRS draw after one constraint state, shared by
/// ``AWRSStrategy`` and ``SMCStrategy``'s particles.
///
/// Checks are made one token at a time while they are few; once a draw has made
/// ``AWRSOptions/maskAfterChecks`` of them (the model disagrees with the constraint, so the
/// walk keeps drawing disallowed tokens), the full mask after the state is computed once with
/// the vocabulary's trie and answers every further check. The answers are the same either way,
/// so the draw's law and its weight are unchanged; only the cost is bounded: a step costs at
/// most that many checks plus one mask, which is what locally constrained decoding pays every
/// step.
///
/// Remembers the first accepted token with its successor state, so the strategy need not
/// advance the constraint again for the emitted token.
struct DrawChecks<C: Constraint> {
    let checker: TokenChecker<C>
    let state: C.State
    /// Checks after which the full mask is computed (nil: never).
    let maskAfter: Int?
    /// Tokens checked one by one.
    private(set) var checks = 0
    /// Whether the full mask was computed.
    private(set) var usedMask = false
    /// The first accepted token and the state after it (nil for a stop token).
    private(set) var accepted: (token: Int, next: C.State?)?
    private var mask: TokenMask?

    init(checker: TokenChecker<C>, state: C.State, maskAfter: Int?) {
        self.checker = checker
        self.state = state
        self.maskAfter = maskAfter
    }

    /// `c(token)`: whether `token` may follow the state.
    ///
    /// - Throws: the constraint's ``ConstraintError`` (a state limit).
    mutating func accept(_ token: Int) throws(ConstraintError) -> Bool {
        if mask == nil, let maskAfter, checks >= maskAfter {
            mask = try checker.allowedTokens(after: state)
            usedMask = true
        }
        if let mask {
            guard mask.contains(token) else { return false }
            if accepted == nil { try record(token) }
            return true
        }
        checks += 1
        var next: C.State?
        let ok = try checker.check(token, after: state, next: &next)
        if ok && accepted == nil { accepted = (token, next) }
        return ok
    }

    /// Records `token` (allowed by the mask) as the first accepted one, with its state.
    private mutating func record(_ token: Int) throws(ConstraintError) {
        var next: C.State?
        _ = try checker.check(token, after: state, next: &next)
        accepted = (token, next)
    }
}
