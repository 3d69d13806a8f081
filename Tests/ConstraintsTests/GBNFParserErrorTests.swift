import Constraints
import Testing

/// Bad grammars get a ``GrammarError`` naming what is wrong and where.
struct GBNFParserErrorTests {
    static func at(_ line: Int, _ column: Int) -> GrammarLocation { GrammarLocation(line: line, column: column) }

    static let cases: [(grammar: String, error: GrammarError)] = [
        ("root ::= item", .undefinedRule("item", at: at(1, 10))),
        ("root ::= \"a\"\nrest ::= \"b\" missing", .undefinedRule("missing", at: at(2, 14))),
        ("item ::= \"a\"", .missingRoot),
        ("", .missingRoot),
        ("root ::= \"abc", .unterminatedLiteral(at: at(1, 10))),
        ("root ::= [a-z", .unterminatedCharacterClass(at: at(1, 10))),
        ("root ::= (\"a\" | \"b\"", .unclosedParenthesis(at: at(1, 10))),
        ("root ::= (\"a\"\n  \"b\"", .unclosedParenthesis(at: at(1, 10))),
        ("root ::= \"a\")", .unmatchedClosingParenthesis(at: at(1, 13))),
        ("root ::= \"\\q\"", .badEscape("\\q", at: at(1, 11))),
        ("root ::= \"\\x4\"", .badEscape("\\x needs 2 hex digits", at: at(1, 11))),
        ("root ::= [\\u12G4]", .badEscape("\\u needs 4 hex digits", at: at(1, 11))),
        ("root ::= \"\\uD800\"", .invalidCodePoint(0xD800, at: at(1, 11))),
        ("root ::= \"\\U00110000\"", .invalidCodePoint(0x110000, at: at(1, 11))),
        ("root ::= [z-a]", .invalidRange(from: 0x7A, to: 0x61, at: at(1, 11))),
        ("root ::=\n", .emptyAlternation(at: at(2, 1))),
        ("root ::= \"a\" ()", .emptyAlternation(at: at(1, 14))),
        ("root ::= * \"a\"", .missingRepetitionOperand(at: at(1, 10))),
        ("root ::= \"a\"{2,1}", .badRepetition("minimum 2 exceeds maximum 1", at: at(1, 13))),
        ("root ::= \"a\"{,3}", .badRepetition("expected a count after '{'", at: at(1, 14))),
        ("root ::= \"a\"{3", .badRepetition("expected '}'", at: at(1, 15))),
        ("root ::= \"a\"{1000000}", .repetitionTooLarge(count: 1_000_000, limit: 10_000, at: at(1, 10))),
        ("root ::= expr\nexpr ::= expr \"+\" num | num\nnum ::= [0-9]+", .leftRecursion(rule: "expr", at: at(2, 1))),
        ("root ::= a\na ::= b \"x\"\nb ::= \"y\"? a", .leftRecursion(rule: "a", at: at(2, 1))),
        ("root ::= (\"a\"?)* \"b\"", .leftRecursion(rule: "root", at: at(1, 10))),
        ("root ::= \"a\"\nroot ::= \"b\"", .duplicateRule("root", at: at(2, 1))),
        ("root ::= <[1000]>", .unsupportedTokenReference(at: at(1, 10))),
        ("root \"a\"", .expectedDefinition(rule: "root", at: at(1, 6))),
        ("::= \"a\"", .expectedRuleName(at: at(1, 1))),
        ("root ::= \"a\" @", .expectedNewline(at: at(1, 14))),
        ("root ::= [^\\x00-\\U0010FFFF]", .emptyCharacterClass(at: at(1, 10))),
    ]

    @Test(arguments: cases.indices)
    func rejectsWithLocation(index: Int) {
        let (grammar, expected) = Self.cases[index]
        #expect(throws: expected, "grammar: \(grammar.debugDescription)") {
            _ = try Grammar(gbnf: grammar)
        }
    }

    @Test func elementLimitStopsHugeExpansions() {
        // Each level multiplies the language, but only the group's rule is referenced, so the
        // elements grow additively; the per-grammar element bound still caps wide expansions.
        let limits = GrammarLimits(maxRepetition: 10_000, maxElements: 50_000)
        let error = #expect(throws: GrammarError.self) {
            _ = try Grammar(gbnf: #"root ::= "a"{9000} "b"{9000} "c"{9000} "d"{9000} "e"{9000} "f"{9000}"#, limits: limits)
        }
        guard case .grammarTooLarge(let elements, 50_000)? = error else {
            Issue.record("expected grammarTooLarge, got \(String(describing: error))")
            return
        }
        #expect(elements > 50_000)
        #expect(throws: Never.self) {
            _ = try Grammar(gbnf: #"root ::= ("a"{1000}){1000}"#, limits: limits)
        }
    }
}
