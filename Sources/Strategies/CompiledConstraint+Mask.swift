import Constraints
import Decoding

extension CompiledConstraint {
    /// The constraint as the first stage of a processor chain: its full mask after the
    /// sequence so far (``Constraints/ConstraintMask``), which puts every strategy that samples
    /// or ranks from a chain (sampling, CNTP, the searches, speculative verification) under the
    /// constraint in locally constrained decoding's form.
    ///
    /// The one place the compositions reach the constraint's state, so a new matcher API changes
    /// only this function.
    ///
    /// - Parameters:
    ///   - table: the vocabulary's token bytes.
    ///   - stopTokens: tokens allowed where the constraint may stop.
    ///   - prefixLength: tokens before this position (the prompt) are outside the constraint.
    public func mask(table: TokenBytes, stopTokens: Set<Int>, prefixLength: Int) -> any LogitProcessor {
        switch self {
        case .regex(let regex):
            return ConstraintMask(constraint: regex, table: table, stopTokens: stopTokens, prefixLength: prefixLength)
        case .grammar(let grammar, _):
            return ConstraintMask(constraint: grammar, table: table, stopTokens: stopTokens, prefixLength: prefixLength)
        }
    }
}
