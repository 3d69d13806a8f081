/// Errors raised while running a ``Constraint`` or computing a token mask.
public enum ConstraintError: Error, Equatable, Sendable {
    /// Advancing by one byte needed more live parser stacks (or work items) than the bound.
    case stateLimitExceeded(limit: Int)
    /// Advancing by one byte needed a grammar stack deeper than the bound (nesting too deep).
    case stackDepthExceeded(limit: Int)
    /// No token is allowed and the constraint may not stop: generation cannot continue.
    /// `position` counts the tokens generated under the constraint before the dead end.
    case deadEnd(position: Int)
    /// A token in the constrained part of the sequence that the constraint does not allow
    /// (`position` counts constrained tokens before it).
    case rejectedToken(Int, position: Int)
    /// A token id outside the token→bytes table.
    case tokenOutOfRange(Int, vocabularySize: Int)
    /// A mask or logits row whose length is not the vocabulary size.
    case vocabularyMismatch(expected: Int, actual: Int)
}
