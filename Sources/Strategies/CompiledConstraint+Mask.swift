import Constraints
import Decoding

extension CompiledConstraint {
    /// The constraint as the first stage of a processor chain: its full mask after the
    /// sequence so far (``Constraints/ConstraintMask``), which puts every strategy that samples
    /// or ranks from a chain (sampling, CNTP, the searches, speculative verification) under the
    /// constraint in locally constrained decoding's form.
    ///
    /// The one place the compositions reach the constraint's state (a ``Constraints/ConstraintMatcher``
    /// inside the mask), so a change of the matcher API changes only this function.
    ///
    /// - Parameters:
    ///   - table: the vocabulary's token bytes.
    ///   - stopTokens: tokens allowed where the constraint may stop.
    ///   - generationStart: tokens before this position (the prompt) are outside the constraint;
    ///     `nil`: the first sequence the mask sees is the prompt. A strategy whose first masked
    ///     sequence may come after generated tokens (CNTP's speculative ordinary steps, a
    ///     drafter's pruning) needs it given.
    /// - Throws: ``ConstraintError`` for a stop token outside the table.
    public func mask(table: TokenBytes, stopTokens: Set<Int>, generationStart: Int?) throws -> any LogitProcessor {
        switch self {
        case .regex(let regex):
            return try Self.mask(regex, table: table, stopTokens: stopTokens, generationStart: generationStart)
        case .grammar(let grammar, _):
            return try Self.mask(grammar, table: table, stopTokens: stopTokens, generationStart: generationStart)
        }
    }

    private static func mask<C: Constraint>(_ constraint: C, table: TokenBytes, stopTokens: Set<Int>,
                                            generationStart: Int?) throws -> ConstraintMask<C> {
        var mask = try ConstraintMask(constraint: constraint, table: table, stopTokens: stopTokens)
        if let generationStart { mask.begin(at: generationStart) }
        return mask
    }
}
