import Constraints

/// Whether a constrained generation's output is in its constraint's language: what `decode
/// generate` reports after a constrained run, and what a caller checks an output with.
///
/// ```swift
/// let verdict = try ConstraintVerdict(constraint, tokens: result.tokens, table: table, stopTokens: stops)
/// if !verdict.complete { … }
/// ```
public struct ConstraintVerdict: Sendable, Equatable {
    /// The text (stop tokens left out) can still be extended to an accepted text.
    public let valid: Bool
    /// The text is a complete member of the language (the constraint may stop after it).
    public let complete: Bool
    /// For a JSON Schema: whether the text parses as one JSON value (RFC 8259); `nil` for a regex
    /// or a grammar.
    public let jsonParses: Bool?

    /// Checks the bytes of `tokens` against `constraint`: stop tokens and ids outside `table` are
    /// left out, the rest are joined as the constraint reads them.
    ///
    /// - Throws: the constraint's ``ConstraintError`` (a state limit).
    /// - Complexity: one walk of the constraint over the output's bytes.
    public init(_ constraint: CompiledConstraint, tokens: [Int], table: TokenBytes, stopTokens: Set<Int>) throws(ConstraintError) {
        let bytes = tokens.filter { !stopTokens.contains($0) && $0 >= 0 && $0 < table.count }.flatMap { table[$0] }
        let state: (valid: Bool, complete: Bool)
        var parses: Bool?
        switch constraint {
        case .regex(let regex): state = try Self.check(regex, bytes)
        case .grammar(let grammar, let schema):
            state = try Self.check(grammar, bytes)
            if schema != nil { parses = (try? JSONValue(parsing: bytes)) != nil }
        }
        valid = state.valid
        complete = state.complete
        jsonParses = parses
    }

    private static func check<C: Constraint>(_ constraint: C, _ bytes: [UInt8]) throws(ConstraintError) -> (valid: Bool, complete: Bool) {
        guard let state = try constraint.advance(constraint.start, by: bytes) else { return (false, false) }
        return (true, constraint.canStop(state))
    }
}
