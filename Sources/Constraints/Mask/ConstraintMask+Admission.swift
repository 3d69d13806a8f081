import Decoding

extension ConstraintMask {
    /// True: the mask is a rule over the sequence, testable token by token.
    public var restrictsTokens: Bool { true }

    /// Whether the mask leaves `token` unmasked after `history`: a stop token where the
    /// constraint may stop, or a token whose bytes keep the constraint alive (a control token
    /// without bytes never). One advance over the token's bytes after the cached state (see
    /// ``state(after:)``: a history that does not extend the cached one is followed from the
    /// start).
    ///
    /// - Throws: the errors of ``state(after:)``.
    public mutating func admits(_ token: Int, after history: [Int]) throws -> Bool {
        let state = try state(after: history)
        if stopTokens.contains(token) { return constraint.canStop(state) }
        guard token >= 0, token < table.count, !table[token].isEmpty else { return false }
        return try constraint.advance(state, by: table[token]) != nil
    }
}
