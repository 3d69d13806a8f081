import Decoding

extension ConstraintMask {
    /// True: the mask is a rule over the sequence, testable token by token.
    public var restrictsTokens: Bool { true }

    /// Whether the mask leaves `token` unmasked after `history`: the matcher, synced to
    /// `history` (rolled back to the common prefix and advanced by the rest, see
    /// ``ConstraintMatcher/sync(to:)``), checks the token without committing it.
    ///
    /// - Throws: the errors of ``state(after:)`` and ``ConstraintMatcher/check(_:)``.
    public mutating func admits(_ token: Int, after history: [Int]) throws -> Bool {
        _ = try state(after: history)
        return try matcher.check(token)
    }
}
