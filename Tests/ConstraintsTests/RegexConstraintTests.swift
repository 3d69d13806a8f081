import Constraints
import Testing

/// Regex constraints through PCRE2 partial matching, including regex bombs and UTF-8 tails.
struct RegexConstraintTests {
    static let languages: [(pattern: String, accepted: [String], rejected: [String], livePrefixes: [String])] = [
        (#"[0-9]{3}-[0-9]{4}"#, ["555-1234"], ["5551234", "555-12345", ""], ["", "5", "555-", "555-123"]),
        (#"(yes|no)"#, ["yes", "no"], ["y", "yesno", "maybe"], ["y", "ye", "n"]),
        (#"a|ab"#, ["a", "ab"], ["abb", "b"], ["a"]),
        (#"[a-z]+@[a-z]+\.(com|org)"#, ["me@host.org"], ["me@host.net", "@host.com"], ["me@", "me@host.c"]),
        (#"\d+(\.\d+)?"#, ["3", "3.14"], ["3.", ".5", "٣"], ["3."]),
        (#"é+[€-₿]"#, ["éé€", "é₿"], ["é", "e€"], ["é", "éé"]),
        (#".*"#, ["", "anything", "日本"], [], ["x"]),
    ]

    @Test(arguments: languages.indices)
    func fullMatchLanguage(index: Int) throws {
        let (pattern, accepted, rejected, live) = Self.languages[index]
        let constraint = try RegexConstraint(pattern: pattern)
        for text in accepted { #expect(try constraint.accepts(text), "\(pattern) should accept \(text.debugDescription)") }
        for text in rejected { #expect(try !constraint.accepts(text), "\(pattern) should reject \(text.debugDescription)") }
        for text in live { #expect(try constraint.acceptsPrefix(text), "\(pattern): \(text.debugDescription) is a live prefix") }
    }

    @Test(arguments: [RegexConstraint.Engine.automatic, .pcre2])
    func fullMatchLanguageOnEitherEngine(engine: RegexConstraint.Engine) throws {
        for (pattern, accepted, rejected, live) in Self.languages {
            let constraint = try RegexConstraint(pattern: pattern, engine: engine)
            #expect(constraint.usesAutomaton == (engine == .automatic), "\(pattern)")
            for text in accepted { #expect(try constraint.accepts(text), "\(pattern) should accept \(text.debugDescription)") }
            for text in rejected { #expect(try !constraint.accepts(text), "\(pattern) should reject \(text.debugDescription)") }
            for text in live { #expect(try constraint.acceptsPrefix(text), "\(pattern): \(text.debugDescription) is live") }
        }
    }

    @Test(arguments: [RegexConstraint.Engine.automatic, .pcre2])
    func deadPrefixesAreDead(engine: RegexConstraint.Engine) throws {
        let constraint = try RegexConstraint(pattern: #"[0-9]{3}-[0-9]{4}"#, engine: engine)
        #expect(try !constraint.acceptsPrefix("5a"))
        #expect(try !constraint.acceptsPrefix("555-12345"))
        var next = constraint.start
        #expect(try !constraint.advance(from: constraint.start, byte: UInt8(ascii: "x"), into: &next))
        #expect(try constraint.advance(from: constraint.start, byte: UInt8(ascii: "7"), into: &next))
        if engine == .pcre2 { #expect(next.bytes == [UInt8(ascii: "7")]) }
    }

    @Test func incompleteUTF8TailsAreDecidedByTheirCompletions() throws {
        let constraint = try RegexConstraint(pattern: #"x[€-₿]"#, engine: .pcre2)  // U+20AC…U+20BF: E2 82 AC … E2 82 BF
        let euro = Array("x€".utf8)
        #expect(try constraint.advance(constraint.start, by: Array(euro[..<2])) != nil)  // x E2
        #expect(try constraint.advance(constraint.start, by: Array(euro[..<3])) != nil)  // x E2 82
        #expect(try constraint.advance(constraint.start, by: [UInt8(ascii: "x"), 0xE2, 0x81]) == nil)  // U+2040…U+207F
        #expect(try constraint.advance(constraint.start, by: [UInt8(ascii: "x"), 0xC3]) == nil)  // U+00C0…U+00FF
        #expect(try constraint.advance(constraint.start, by: [UInt8(ascii: "x"), 0xF0]) != nil)  // assumed: budget
        #expect(constraint.statistics.assumedCompletions == 1)
        #expect(try constraint.advance(constraint.start, by: [UInt8(ascii: "x"), 0xFF]) == nil)  // never UTF-8
        #expect(try !constraint.accepts(Array(euro[..<3])))
        let wide = try RegexConstraint(pattern: "x[€-₿]", engine: .pcre2)
        #expect(try wide.advance(wide.start, by: [UInt8(ascii: "x"), 0xE3]) == nil)  // proven: nothing in U+3000…U+3FFF
        #expect(wide.statistics.assumedCompletions == 0)
        // The automaton decides every partial character exactly, the 4-byte lead included.
        let automaton = try RegexConstraint(pattern: #"x[€-₿]"#)
        #expect(automaton.usesAutomaton)
        #expect(try automaton.advance(automaton.start, by: Array(euro[..<2])) != nil)
        #expect(try automaton.advance(automaton.start, by: Array(euro[..<3])) != nil)
        #expect(try automaton.advance(automaton.start, by: [UInt8(ascii: "x"), 0xE2, 0x81]) == nil)
        #expect(try automaton.advance(automaton.start, by: [UInt8(ascii: "x"), 0xF0]) == nil)
        #expect(try automaton.advance(automaton.start, by: [UInt8(ascii: "x"), 0xFF]) == nil)
        #expect(try !automaton.accepts(Array(euro[..<3])))
        #expect(try automaton.accepts(euro))
        #expect(automaton.statistics.matches == 0)
        // An ASCII-only pattern rejects partial characters without searching.
        let ascii = try RegexConstraint(pattern: #"[a-z]+\.\d{2,}"#, engine: .pcre2)
        #expect(try ascii.advance(ascii.start, by: [0xF0]) == nil)
        #expect(try ascii.advance(ascii.start, by: [UInt8(ascii: "a"), 0xE2, 0x82]) == nil)
        #expect(ascii.statistics.matches <= 1)
    }

    @Test func invalidPatternsReportPCREMessageAndOffset() throws {
        for (pattern, offset) in [("a(b", 3), ("[z-a]", 3), ("a{2,1}", 5), ("(?<n>a", 6)] {
            let error = #expect(throws: RegexError.self) { _ = try RegexConstraint(pattern: pattern) }
            guard case .invalidPattern(let p, let message, let at)? = error else { continue }
            #expect(p == pattern)
            #expect(!message.isEmpty)
            #expect(at == offset, "\(pattern): \(message)")
        }
    }

    @Test func catastrophicBacktrackingHitsTheLimitAndIsRejected() throws {
        let bomb = try RegexConstraint(pattern: #"(a+)+$"#)
        let text = String(repeating: "a", count: 40) + "!"
        #expect(try !bomb.acceptsPrefix(text))
        #expect(bomb.statistics.limitHits >= 1)
        // Without the bomb's tail the answer is a plain yes.
        #expect(try bomb.accepts(String(repeating: "a", count: 40)))
    }

    @Test func nestedCountedRepetitionsStayBounded() throws {
        // PCRE2 refuses a quantifier on a quantifier: a typed error, not a hang.
        #expect(throws: RegexError.self) { _ = try RegexConstraint(pattern: "a{100}{100}{100}") }
        // Its nested spelling is a million copies: PCRE2 reports the pattern too large.
        let error = #expect(throws: RegexError.self) { _ = try RegexConstraint(pattern: "(?:(?:a{100}){100}){100}") }
        if case .invalidPattern(_, let message, _)? = error { #expect(message.contains("too large")) }
        let constraint = try RegexConstraint(pattern: "(?:a{100}){100}")
        #expect(try constraint.acceptsPrefix(String(repeating: "a", count: 5000)))
        #expect(try constraint.accepts(String(repeating: "a", count: 10_000)))
        #expect(try !constraint.acceptsPrefix(String(repeating: "a", count: 5000) + "b"))
        let exact = try RegexConstraint(pattern: "(?:a{10}){10}")
        #expect(try exact.accepts(String(repeating: "a", count: 100)))
        #expect(try !exact.accepts(String(repeating: "a", count: 101)))
    }

    @Test func lookbehindStyleBlowupOnAlternatingText() throws {
        // `[ab]*a[ab]{13}` is exponential for DFAs; PCRE2 backtracks but stays within limits.
        let constraint = try RegexConstraint(pattern: "[ab]*a[ab]{13}")
        let text = String(repeating: "ab", count: 200)
        #expect(try constraint.acceptsPrefix(text))
        #expect(try constraint.accepts("a" + String(repeating: "b", count: 13)))
        #expect(try !constraint.accepts(String(repeating: "b", count: 14)))
        #expect(try !constraint.acceptsPrefix(text + "c"))
    }
}

/// The conservative "matches only ASCII" judgement that lets partial characters die early.
struct RegexASCIIJudgementTests {
    @Test(arguments: [
        (#"[a-z]+\.\d{2,}"#, true), (#"(yes|no)\s*"#, true), (#"[]a.]+"#, true), ("x(?:ab)+", true),
        (".", false), ("[^a]", false), (#"\W"#, false), (#"\p{L}"#, false), ("é", false), ("(?i)k", false),
        (#"\x{e9}"#, false), ("(*UCP)\\w", false), ("[[:^alpha:]]", false), (#"[a-z]\h"#, false),
    ])
    func judgement(pattern: String, asciiOnly: Bool) throws {
        #expect(RegexConstraint.matchesASCIIOnly(pattern) == asciiOnly)
    }
}
