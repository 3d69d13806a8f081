import Constraints
import Testing

/// The pushdown recognizer: repetition semantics, UTF-8 at the byte level, bounded work.
struct GrammarConstraintTests {
    static let repetitions: [(grammar: String, accepted: [String], rejected: [String])] = [
        (#"root ::= "a"{3}"#, ["aaa"], ["", "aa", "aaaa"]),
        (#"root ::= "a"{2,4}"#, ["aa", "aaa", "aaaa"], ["a", "aaaaa"]),
        (#"root ::= "a"{2,}"#, ["aa", String(repeating: "a", count: 500)], ["", "a", "aab"]),
        (#"root ::= "a"{0,2} "b""#, ["b", "ab", "aab"], ["aaab", "a"]),
        ("root ::= (\"ab\" | \"c\")+ \".\"", ["ab.", "cabc."], [".", "a.", "abab"]),
        (#"root ::= "x"? "y"* "z"+"#, ["z", "xz", "xyyzz", "yz"], ["x", "xy", "zy"]),
        (#"root ::= ws "v" ws"# + "\nws ::= | \" \" | \"\\n\" [ \\t]{0,3}", ["v", " v ", "\n   v\n\t"], ["  v", "\n    v"]),
        (#"root ::= [^a-c]+"#, ["xyz", "é", "d"], ["a", "xbx"]),
        (#"root ::= [\-\]] "\x41\u00e9\U0001F600""#, ["-Aé😀", "]Aé😀"], ["Aé😀", "-A"]),
        ("root ::= (\n  \"a\" # comment\n  | \"b\"\n)\n# trailing comment", ["a", "b"], ["ab", ""]),
        ("root ::= \"a\" |\n  \"b\"", ["a", "b"], ["ab"]),
    ]

    @Test(arguments: repetitions.indices)
    func languages(index: Int) throws {
        let (grammar, accepted, rejected) = Self.repetitions[index]
        let constraint = try GrammarConstraint(gbnf: grammar)
        for text in accepted { #expect(try constraint.accepts(text), "\(grammar) should accept \(text.debugDescription)") }
        for text in rejected { #expect(try !constraint.accepts(text), "\(grammar) should reject \(text.debugDescription)") }
    }

    @Test func tokenEndingInsideACharacterStaysAlive() throws {
        let constraint = try GrammarConstraint(gbnf: #"root ::= "«" [é-ë]+ "»""#)
        let text = Array("«éê»".utf8)
        // Every prefix, including those that end between the bytes of one character, is live.
        for n in 0...text.count {
            let state = try #require(try constraint.advance(constraint.start, by: Array(text[..<n])), "prefix \(n)")
            #expect(constraint.canStop(state) == (n == text.count))
        }
        // The first byte of "ì" (U+00EC) is shared with "é"…"ë"; its second byte is not.
        #expect(try constraint.advance(constraint.start, by: Array("«".utf8) + [0xC3]) != nil)
        #expect(try constraint.advance(constraint.start, by: Array("«ì".utf8)) == nil)
    }

    @Test func anyCharacterIsValidUTF8Only() throws {
        let constraint = try GrammarConstraint(gbnf: "root ::= .*")
        #expect(try constraint.accepts("aé€😀\u{0}"))
        let rejected: [[UInt8]] = [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xFF]]
        for bytes in rejected { #expect(try constraint.advance(constraint.start, by: bytes) == nil, "\(bytes)") }
        #expect(try !constraint.accepts([0xE2, 0x82]))
        #expect(try constraint.advance(constraint.start, by: [0xE2, 0x82]) != nil)
    }

    @Test func statesAreIndependentValues() throws {
        let constraint = try GrammarConstraint(gbnf: #"root ::= "ab" | "ac""#)
        let a = try #require(try constraint.advance(constraint.start, by: Array("a".utf8)))
        let ab = try #require(try constraint.advance(a, by: Array("b".utf8)))
        let ac = try #require(try constraint.advance(a, by: Array("c".utf8)))
        #expect(constraint.canStop(ab) && constraint.canStop(ac) && !constraint.canStop(a))
        #expect(a.stackCount == 2 && ab.stackCount == 1)
        var next = a
        #expect(try !constraint.advance(from: a, byte: UInt8(ascii: "d"), into: &next))
        #expect(try constraint.advance(from: a, byte: UInt8(ascii: "b"), into: &next))
        #expect(next == ab)
    }

    @Test func tailLoopsRunInConstantDepthAndNestingWorks() throws {
        let loop = try GrammarConstraint(gbnf: "root ::= [a-z]*")
        let long = try #require(try loop.advance(loop.start, by: Array(repeating: UInt8(ascii: "q"), count: 10_000)))
        #expect(long == loop.start)
        let nested = try GrammarConstraint(gbnf: #"root ::= "(" root ")" | """#)
        let text = String(repeating: "(", count: 500) + String(repeating: ")", count: 500)
        #expect(try nested.accepts(text))
        #expect(try !nested.accepts(text + ")"))
    }

    @Test func ambiguityIsMergedNotMultiplied() throws {
        // Both alternatives of every digit lead to the same stacks, which are merged.
        let constraint = try GrammarConstraint(gbnf: #"root ::= ([0-9] | [0-9] [0-9]?)*"#)
        let state = try #require(try constraint.advance(constraint.start, by: Array(String(repeating: "7", count: 200).utf8)))
        #expect(state.stackCount <= 4)
    }

    @Test func exponentialStackGrowthHitsTheLimit() throws {
        // After n "x", the distinct stacks remember which of "y"/"z" closes each level: 2^n.
        let grammar = #"root ::= a"# + "\n" + #"a ::= "x" a "y" | "x" a "z" | """#
        let constraint = try GrammarConstraint(gbnf: grammar, limits: GrammarLimits(maxStacks: 64))
        #expect(try constraint.accepts("xxyz"))
        #expect(throws: ConstraintError.stateLimitExceeded(limit: 64)) {
            _ = try constraint.advance(constraint.start, by: Array(String(repeating: "x", count: 12).utf8))
        }
    }
}

/// A grammar ambiguous from its first byte hits the stack limit when the recognizer is made.
struct GrammarStartLimitTests {
    @Test func tooManyStartStacksIsATypedError() throws {
        // Every level can return to "a" or "b": 2^4 distinct stacks before the first byte.
        let grammar = """
            root ::= l1
            l1 ::= l2 "a" | l2 "b"
            l2 ::= l3 "a" | l3 "b"
            l3 ::= l4 "a" | l4 "b"
            l4 ::= l5 "a" | l5 "b"
            l5 ::= "x"
            """
        #expect(try GrammarConstraint(gbnf: grammar).start.stackCount == 16)
        #expect(throws: GrammarError.tooManyStartStacks(limit: 8)) {
            _ = try GrammarConstraint(gbnf: grammar, limits: GrammarLimits(maxStacks: 8))
        }
    }
}

/// Nesting deeper than ``GrammarLimits/maxStackDepth`` is a typed error, not a crash.
struct GrammarDepthLimitTests {
    @Test func deepNestingHitsTheDepthLimit() throws {
        let limits = GrammarLimits(maxStackDepth: 64)
        let nested = try GrammarConstraint(gbnf: #"root ::= "[" root? "]"?"#, limits: limits)
        #expect(try nested.accepts(String(repeating: "[", count: 40) + String(repeating: "]", count: 40)))
        #expect(throws: ConstraintError.stackDepthExceeded(limit: 64)) {
            _ = try nested.advance(nested.start, by: Array(repeating: UInt8(ascii: "["), count: 100))
        }
        let json = try GrammarConstraint(gbnf: #"root ::= "[" root "]" | "0""#, limits: limits)
        #expect(throws: ConstraintError.stackDepthExceeded(limit: 64)) {
            _ = try json.advance(json.start, by: Array(repeating: UInt8(ascii: "["), count: 100))
        }
    }
}
