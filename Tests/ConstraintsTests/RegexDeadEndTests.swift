import Constraints
import Testing

/// A live state must either be able to stop or have a live successor byte ("dead" means no
/// continuation can be accepted, so "live" must mean some can). The `regex` fuzz target's steered
/// walk found live states with neither: PCRE2's hard partial matching calls a prefix live whenever
/// the match reaches the end of the text before failing, so an assertion that fails later left a
/// live prefix nothing completes. `$` now matches only at the end, and patterns whose partial
/// matching is not exact search for a completion.
@Suite struct RegexDeadEndTests {
    /// Whether `text` leads `constraint` to a live state that cannot stop and that no byte extends.
    static func isDeadEnd(_ constraint: RegexConstraint, after text: String) throws -> Bool {
        guard let state = try constraint.advance(constraint.start, by: Array(text.utf8)) else { return false }
        if constraint.canStop(state) { return false }
        for byte in UInt8.min...UInt8.max {
            if try constraint.advance(state, by: [byte]) != nil { return false }
        }
        return true
    }

    @Test func assertionFreePatternsHaveNoDeadEnds() throws {
        for (pattern, text) in [("a*", "aa"), ("[0-9]+", "12"), ("(ab|cd)*e", "abc"), ("x{2,3}", "x")] {
            #expect(try !Self.isDeadEnd(RegexConstraint(pattern: pattern), after: text), "\(pattern) after \(text)")
        }
    }

    /// The fuzz target's inputs: `^a*$` then "\n" (`$` matched before a final newline, so the
    /// prefix was live, but the text could neither end there nor go on), assertions that read
    /// past the prefix, and a `^` after the start (`^hctis://hehelp^htt…` after "hctis://hehel").
    /// Each prefix is now dead, and so no dead end.
    @Test(arguments: [("^a*$", "\n"), ("^[0-9]+$", "12\n"), ("a\\Z", "a\n"), ("a\\bb", "a"), ("a(?=b)", "a"),
                      ("ab^c", "a"), ("^hctis://hehelp^htt\\.kps:/ke", "hctis://hehel"), ("a$b", "a"),
                      ("(?m)a$b", "a"), ("a(*ACCEPT)b", "ax")])
    func assertionsUndecidedAtTheEndAreDead(pattern: String, text: String) throws {
        for engine in [RegexConstraint.Engine.automatic, .pcre2] {
            let constraint = try RegexConstraint(pattern: pattern, engine: engine)
            #expect(try !Self.isDeadEnd(constraint, after: text))
            #expect(try constraint.advance(constraint.start, by: Array(text.utf8)) == nil)
        }
    }

    /// Liveness under assertions is decided by finding a completion, so prefixes that have one
    /// stay live (with the right tokens allowed) and their completions are accepted.
    @Test(arguments: [("\\bfoo\\b", "fo", "foo"), ("foo(?=bar)bar", "foo", "foobar"), ("(?=\\d{3})\\w+", "12", "123"),
                      ("a\\Z", "a", "a"), ("(\\w)\\1", "x", "xx"), ("(?<=a)b|ab", "a", "ab"), ("x\\b.", "x", "x ")])
    func assertionsWithACompletionStayLive(pattern: String, prefix: String, completion: String) throws {
        let constraint = try RegexConstraint(pattern: pattern)
        #expect(!constraint.partialIsExact)
        let state = try #require(try constraint.advance(constraint.start, by: Array(prefix.utf8)))
        #expect(try !Self.isDeadEnd(constraint, after: prefix))
        #expect(try constraint.accepts(Array(completion.utf8)))
        #expect(try constraint.advance(state, by: Array(completion.utf8.dropFirst(prefix.utf8.count))) != nil)
        #expect(constraint.statistics.undecidedRefusals == 0)
    }

    /// `$` means the end of the text (`PCRE2_DOLLAR_ENDONLY`): a final newline does not satisfy it.
    @Test func dollarMatchesOnlyAtTheEnd() throws {
        let digits = try RegexConstraint(pattern: "^[0-9]+$")
        #expect(try digits.accepts(Array("12".utf8)))
        #expect(try !digits.accepts(Array("12\n".utf8)))
        let newlineAfterDollar = try RegexConstraint(pattern: "a$\\n")
        #expect(try !newlineAfterDollar.accepts(Array("a\n".utf8)))
        #expect(try newlineAfterDollar.advance(newlineAfterDollar.start, by: Array("a".utf8)) == nil)
        let multiline = try RegexConstraint(pattern: "(?m)a$\\nb")
        #expect(try multiline.accepts(Array("a\nb".utf8)))
        #expect(try !Self.isDeadEnd(multiline, after: "a"))
    }

    /// A possessive quantifier that gives nothing back (`a*+a`) is partial after every run of
    /// `a`s and never matches: the search runs out of depth and refuses the prefix, counted.
    @Test func anUndecidedSearchIsARefusal() throws {
        let constraint = try RegexConstraint(pattern: "a*+a")
        #expect(try constraint.advance(constraint.start, by: Array("a".utf8)) == nil)
        #expect(constraint.statistics.undecidedRefusals == 1)
    }

    /// The token mask under a pattern searched for completions allows exactly the tokens that
    /// `advance` keeps alive (interior trie nodes prune on partial matching only, never on an
    /// undecided search): every string of 1 to 3 characters over `fobx`, space and LF, and `é`.
    @Test func maskAgreesWithAdvanceUnderAssertions() throws {
        let letters = ["f", "o", "b", "x", " ", "\n"]
        var pieces = letters + ["é", "foo "]
        for a in letters {
            for b in letters {
                pieces.append(a + b)
                pieces += letters.map { a + b + $0 }
            }
        }
        let trie = TokenTrie(TokenBytes(pieces.map { Array($0.utf8) }))
        for pattern in ["\\bfoo\\b", "foo(?=\\s)\\s?", "(?<!x)o+", "a\\bb"] {
            let constraint = try RegexConstraint(pattern: pattern)
            for prefix in ["", "f", "fo", "foo"] {
                guard let state = try constraint.advance(constraint.start, by: Array(prefix.utf8)) else { continue }
                let mask = try constraint.allowedTokens(after: state, trie: trie, stopTokens: [])
                for (id, piece) in pieces.enumerated() {
                    let alive = try constraint.advance(state, by: Array(piece.utf8)) != nil
                    #expect(mask.contains(id) == alive, "\(pattern) after \(prefix): \(piece)")
                }
            }
        }
    }

    /// Which patterns partial matching decides exactly, judged from their text.
    @Test func theExactnessScreen() {
        for pattern in ["^[0-9]+$", "a*", "(ab|cd)*e", "(?i)abc", "(*UCP)\\w+", "[^a-z]", "(?:^a|b)", "a\\z", "(a$)",
                        "[$^]", "\\$x\\^", "a+?b", "(?<name>x)", "[^\\]\\d]"] {
            #expect(RegexConstraint.partialMatchingIsExact(pattern), "\(pattern)")
        }
        for pattern in ["a\\bb", "a(?=b)", "a(?<!b)", "ab^c", "a$|b", "a*+a", "a{2}+", "(?>a)", "(a)\\1", "[^\\D]",
                        "\\p{L}", "(*ACCEPT)", "(?m)^a$", "(?x)a", "\\Qa\\E", "a\\zb", "a\\Z", "(?(1)a|b)", "(?1)",
                        "[^[:^alpha:]]", "[^\\x{0}-\\x{10FFFF}]", "\\C", "(?C1)a"] {
            #expect(!RegexConstraint.partialMatchingIsExact(pattern), "\(pattern)")
        }
    }
}
