import Constraints
import Decoding
import Testing

/// The regex automaton against PCRE2 itself: the same live prefixes, complete texts and masks
/// on many random texts; advancing reads only the new token's bytes; patterns outside the
/// subset stay with PCRE2.
struct RegexAutomatonTests {
    static let patterns = [
        #"[A-Z][^.!?\n]{0,40}[.!?]"#,
        #"\{"name": "[A-Za-z ]{1,12}", "age": [0-9]{1,3}, "tags": \[("[a-z]+"(, "[a-z]+")*)?\]\}"#,
        #"[A-Z][a-z]+ (was born|lived|died) in [A-Z][a-z]+ in [12][0-9]{3}\."#,
        #"(?:a|b)*c{2,4}"#, #"[^\d]+\d?"#, #"\w+@\w+\.(com|org)"#, #"\D\W\S"#, #".*é.+"#,
        #"é+[€-₿]|😀{2}"#, #"(?<word>x+?)y*?z"#, #"(a|ab)(c|bcd)(d*)"#, #"[\t\r\f -/]*\."#, #"\x41\x2e+"#,
    ]

    /// Pieces the random texts are made of: ASCII of several kinds, controls, 2-, 3- and 4-byte
    /// characters, their lead bytes alone, and a byte that is never UTF-8.
    static let pieces: [[UInt8]] = {
        var out: [[UInt8]] = "abcxyzABCZ0129 .,!?@\"{}[]:-_/\\\t\r\n\u{0B}\u{0C}".unicodeScalars.map { Array(String($0).utf8) }
        for text in ["é", "€", "₿", "😀", "日", "name", "age", "tags", " was born", " in ", "com", "\u{2028}", "\u{85}"] {
            out.append(Array(text.utf8))
        }
        out += [[0xC3], [0xE2], [0xE2, 0x82], [0xF0, 0x9F], [0xFF], [0xA9], [0xAC]]
        return out
    }()

    @Test(arguments: patterns)
    func agreesWithWholePrefixPCRE2(pattern: String) throws {
        let automaton = try RegexConstraint(pattern: pattern)
        let pcre = try RegexConstraint(pattern: pattern, engine: .pcre2)
        #expect(automaton.usesAutomaton, "\(pattern) should compile to an automaton")
        var rng = Xoshiro256StarStar(seed: 0xA11CE)
        var compared = 0
        var alive = 0
        for _ in 0..<300 {
            var a = automaton.start
            var p = pcre.start
            for _ in 0..<60 {
                // Mostly pieces that keep the automaton alive (to reach deep), sometimes any.
                let live = try Self.pieces.filter { try automaton.advance(a, by: $0) != nil }
                let choices = live.isEmpty || rng.nextUnitInterval() < 0.15 ? Self.pieces : live
                let piece = choices[Int(rng.next() % UInt64(choices.count))]
                let assumedBefore = pcre.statistics.assumedCompletions
                let nextA = try automaton.advance(a, by: piece)
                let nextP = try pcre.advance(p, by: piece)
                compared += 1
                if pcre.statistics.assumedCompletions == assumedBefore {
                    #expect((nextA != nil) == (nextP != nil), "\(pattern): \(p.bytes + piece) alive?")
                }
                guard let nextA, let nextP else { break }
                alive += 1
                #expect(automaton.canStop(nextA) == pcre.canStop(nextP), "\(pattern): \(nextP.bytes) complete?")
                a = nextA
                p = nextP
            }
        }
        #expect(alive > 300, "\(pattern): the walks reached \(alive) live prefixes of \(compared)")
    }

    @Test(arguments: patterns.prefix(4))
    func masksAgreeWithPCRE2(pattern: String) throws {
        let table = TokenBytes(Self.pieces + [[]])
        let trie = TokenTrie(table)
        let automaton = try RegexConstraint(pattern: pattern)
        let pcre = try RegexConstraint(pattern: pattern, engine: .pcre2)
        var rng = Xoshiro256StarStar(seed: 7)
        for _ in 0..<40 {
            var a = automaton.start
            var p = pcre.start
            for _ in 0..<30 {
                let maskA = try automaton.allowedTokens(after: a, trie: trie, stopTokens: [table.count - 1])
                let assumedBefore = pcre.statistics.assumedCompletions
                let maskP = try pcre.allowedTokens(after: p, trie: trie, stopTokens: [table.count - 1])
                if pcre.statistics.assumedCompletions == assumedBefore {
                    #expect(maskA == maskP, "\(pattern) after \(p.bytes)")
                }
                let choices = maskA.tokens.filter { $0 != table.count - 1 }
                guard !choices.isEmpty else { break }
                let token = choices[Int(rng.next() % UInt64(choices.count))]
                guard let nextA = try automaton.advance(a, by: table[token]),
                      let nextP = try pcre.advance(p, by: table[token]) else { break }
                a = nextA
                p = nextP
            }
        }
    }

    /// The 1001st token costs its own bytes on the automaton; PCRE2 re-reads the whole prefix.
    @Test func advancingAtToken1000ReadsOnlyTheNewToken() throws {
        let pattern = #"(?:[a-z]+ )*[a-z]+\."#
        let token = Array("word ".utf8)
        for engine in [RegexConstraint.Engine.automatic, .pcre2] {
            let constraint = try RegexConstraint(pattern: pattern, engine: engine)
            var state = constraint.start
            for _ in 0..<1_000 { state = try #require(try constraint.advance(state, by: token)) }
            let before = constraint.statistics.bytesScanned
            let matchesBefore = constraint.statistics.matches
            state = try #require(try constraint.advance(state, by: token))
            let scanned = constraint.statistics.bytesScanned - before
            if engine == .automatic {
                #expect(scanned == token.count)
                #expect(constraint.statistics.matches == matchesBefore)
            } else {
                #expect(scanned == 1_001 * token.count)
            }
            #expect(try constraint.accepts(Array(repeating: token, count: 3).flatMap { $0 } + Array("end.".utf8)))
        }
    }

    /// A regex automaton state repeats along a text, so the mask cache serves it.
    @Test func automatonStatesRepeatAndHitTheMaskCache() throws {
        let constraint = try RegexConstraint(pattern: #"(?:[a-z]+ )*[a-z]+\."#)
        let table = TokenBytes(Self.pieces)
        let shared = try TokenConstraint(constraint: constraint, table: table, stopTokens: [])
        var matcher = ConstraintMatcher(shared)
        matcher.begin(at: 0)
        let a = try #require(Self.pieces.firstIndex(of: Array("a".utf8)))
        let space = try #require(Self.pieces.firstIndex(of: Array(" ".utf8)))
        for _ in 0..<20 {
            _ = try matcher.allowedTokens()
            try matcher.advance(a)
            _ = try matcher.allowedTokens()
            try matcher.advance(space)
        }
        #expect(shared.maskCacheHits >= 36)
    }

    @Test(arguments: [#"^ab"#, #"ab$"#, #"(?i)ab"#, #"\bab"#, #"(a)\1"#, #"a*+b"#, #"[[:alpha:]]+"#, #"\x{e9}"#,
                      #"\p{L}+"#, #"[]a]+"#, #"a{,3}"#, #"\01"#, #"\v"#, #"a(?=b)b"#, #"(?s)a.b"#, #"(?>a+)b"#])
    func patternsOutsideTheSubsetStayWithPCRE2(pattern: String) throws {
        let constraint = try RegexConstraint(pattern: pattern)
        #expect(!constraint.usesAutomaton)
    }

    /// Counted repetitions whose automaton would pass the state bound stay with PCRE2.
    @Test func automataPastTheStateBoundStayWithPCRE2() throws {
        let constraint = try RegexConstraint(pattern: "[ab]*a[ab]{13}")
        #expect(!constraint.usesAutomaton)
        #expect(try constraint.accepts("a" + String(repeating: "b", count: 13)))
    }
}
