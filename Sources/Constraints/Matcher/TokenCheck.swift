/// The answer of ``TokenConstraint/check(_:after:)`` for one token after one constraint state.
public enum TokenCheck<State: Sendable>: Sendable {
    /// The token may not follow the state.
    case rejected
    /// A stop token where the constraint may stop: generation can end here.
    case stop
    /// The token's bytes keep the constraint alive; the state after them.
    case advanced(State)

    /// Whether the token passes (``stop`` or ``advanced(_:)``).
    public var passes: Bool {
        if case .rejected = self { return false }
        return true
    }
}
