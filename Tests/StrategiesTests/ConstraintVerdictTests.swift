import Constraints
import Strategies
import Testing

/// The verdict on a constrained output: stop tokens and ids outside the table are left out, a
/// prefix is valid but not complete, a text outside the language is neither, and a JSON Schema's
/// verdict says whether the text parses as JSON.
@Suite("ConstraintVerdict")
struct ConstraintVerdictTests {
    /// Token 0 is EOS (no bytes); the others are one piece each.
    static let table = TokenBytes([[], Array("1".utf8), Array("2".utf8), Array("x".utf8), Array("{".utf8),
                                   Array("}".utf8), Array(#""a":"#.utf8), Array(" ".utf8)])
    static let stop: Set<Int> = [0]

    @Test("a regex: complete, unfinished, rejected; the stop token and an out-of-range id are left out")
    func regex() throws {
        let constraint = try CompiledConstraint(regex: "[12]{2,3}")
        let complete = try ConstraintVerdict(constraint, tokens: [1, 2, 0], table: Self.table, stopTokens: Self.stop)
        #expect(complete.valid && complete.complete && complete.jsonParses == nil)
        let unfinished = try ConstraintVerdict(constraint, tokens: [1, 99], table: Self.table, stopTokens: Self.stop)
        #expect(unfinished.valid && !unfinished.complete)
        let rejected = try ConstraintVerdict(constraint, tokens: [1, 3], table: Self.table, stopTokens: Self.stop)
        #expect(!rejected.valid && !rejected.complete)
    }

    @Test("a JSON Schema: an open object is valid, unfinished and does not parse; a closed one parses")
    func jsonSchema() throws {
        let constraint = try CompiledConstraint(jsonSchema: #"{"type":"object"}"#)
        let open = try ConstraintVerdict(constraint, tokens: [4, 7], table: Self.table, stopTokens: Self.stop)
        #expect(open.valid && !open.complete && open.jsonParses == false)
        let closed = try ConstraintVerdict(constraint, tokens: [4, 5, 0], table: Self.table, stopTokens: Self.stop)
        #expect(closed.valid && closed.complete && closed.jsonParses == true)
        let grammar = try CompiledConstraint(gbnf: #"root ::= "{" "}""#)
        let fromGrammar = try ConstraintVerdict(grammar, tokens: [4, 5], table: Self.table, stopTokens: Self.stop)
        #expect(fromGrammar.complete && fromGrammar.jsonParses == nil)
    }
}
