/// The constraint checks `c(t)` of one AWRS draw after one constraint state, shared by
/// ``AWRSStrategy`` and ``SMCStrategy``'s particles.
///
/// Checks are made one token at a time while they are few. When the ``TokenConstraint``
/// already holds the mask after this state (computed at an earlier step, by any matcher), or
/// once a draw has made ``AWRSOptions/maskAfterChecks`` checks (the model disagrees with the
/// constraint, so the walk keeps drawing disallowed tokens) and the mask is computed once,
/// the mask answers every further check and ``knownMask`` hands it to the sampler, which drops
/// every disallowed token from the draw at once (``AWRSSampler``). The answers are the same
/// either way, so the draw's law and its weight's expectation are unchanged; only the cost is
/// bounded.
///
/// Remembers the first accepted token with its check, so the strategy need not advance the
/// constraint again for the emitted token.
struct DrawChecks<C: Constraint>: DrawAcceptor {
    let tokenConstraint: TokenConstraint<C>
    let state: C.State
    /// Checks after which the full mask is computed (nil: never).
    let maskAfter: Int?
    /// Tokens checked one by one.
    private(set) var checks = 0
    /// Whether the full mask was computed by this draw.
    private(set) var usedMask = false
    /// Whether the mask came from the shared cache when the draw started.
    let cachedMask: Bool
    /// The first accepted token and its check.
    private(set) var accepted: (token: Int, check: TokenCheck<C.State>)?
    /// The mask after the state, once known.
    private(set) var knownMask: TokenMask?

    init(tokenConstraint: TokenConstraint<C>, state: C.State, maskAfter: Int?) {
        self.tokenConstraint = tokenConstraint
        self.state = state
        self.maskAfter = maskAfter
        knownMask = tokenConstraint.cachedMask(for: state)
        cachedMask = knownMask != nil
    }

    /// `c(token)`: whether `token` may follow the state.
    ///
    /// - Throws: the constraint's ``ConstraintError`` (a state limit).
    mutating func accept(_ token: Int) throws(ConstraintError) -> Bool {
        if knownMask == nil, let maskAfter, checks >= maskAfter {
            knownMask = try tokenConstraint.allowedTokens(after: state)
            usedMask = true
        }
        if let knownMask {
            guard knownMask.contains(token) else { return false }
            if accepted == nil { accepted = (token, try tokenConstraint.check(token, after: state)) }
            return true
        }
        checks += 1
        let check = try tokenConstraint.check(token, after: state)
        if check.passes && accepted == nil { accepted = (token, check) }
        return check.passes
    }
}
