import Constraints
import Decoding
import Testing

/// The one matcher every strategy tracks its constraint with: it learns where the generated
/// text starts from the sequence, follows a session by rolling back and advancing, tests tokens
/// without committing, forks by copying, and reports bad input as typed errors.
struct ConstraintMatcherTests {
    /// Tokens: 0 EOS (no bytes), 1 "a", 2 "b", 3 ".", 4 "ab", 5 control (no bytes).
    static let table = TokenBytes([[], Array("a".utf8), Array("b".utf8), Array(".".utf8), Array("ab".utf8), []])

    static func matcher() throws -> ConstraintMatcher<RegexConstraint> {
        ConstraintMatcher(try TokenConstraint(constraint: try RegexConstraint(pattern: #"(ab)+\."#), table: table,
                                              stopTokens: [0]))
    }

    @Test func badInputIsTyped() throws {
        #expect(throws: ConstraintError.tokenOutOfRange(9, vocabularySize: 6)) {
            _ = try TokenConstraint(constraint: try RegexConstraint(pattern: "a"), table: Self.table, stopTokens: [9])
        }
        #expect(throws: ConstraintError.vocabularyMismatch(expected: 6, actual: 2)) {
            _ = try TokenConstraint(constraint: try RegexConstraint(pattern: "a"), table: Self.table,
                                    trie: TokenTrie(TokenBytes([[1], [2]])), stopTokens: [])
        }
        var matcher = try Self.matcher()
        matcher.begin(at: 0)
        #expect(throws: ConstraintError.tokenOutOfRange(-1, vocabularySize: 6)) { try matcher.advance(-1) }
        #expect(throws: ConstraintError.rejectedToken(2, position: 0)) { try matcher.advance(2) }
        #expect(throws: ConstraintError.rejectedToken(5, position: 0)) { try matcher.advance(5) }
        #expect(throws: ConstraintError.rejectedToken(0, position: 0)) { try matcher.advance(0) }  // may not stop yet
        #expect(throws: ConstraintError.rejectedToken(3, position: 1)) { try matcher.sync(to: [1, 3]) }
        #expect(matcher.tokens == [1])  // the tokens before the bad one
        #expect(throws: ConstraintError.deadEnd(position: 0)) {
            var dead = ConstraintMatcher(try TokenConstraint(constraint: try RegexConstraint(pattern: "z"), table: Self.table,
                                                             stopTokens: [0]))
            dead.begin(at: 0)
            _ = try dead.requireAllowedTokens()
        }
    }

    @Test func learnsTheGenerationStartFromTheFirstSequence() throws {
        var matcher = try Self.matcher()
        try matcher.sync(to: [7, 7, 7])  // the prompt: outside the constraint
        #expect(matcher.generationStart == 3)
        #expect(matcher.position == 0)
        try matcher.sync(to: [7, 7, 7, 4, 1])
        #expect(matcher.tokens == [4, 1])
        #expect(try matcher.allowedTokens().tokens == [2])
        matcher.reset()
        try matcher.sync(to: [4])
        #expect(matcher.generationStart == 1)
        #expect(matcher.tokens.isEmpty)
    }

    @Test func rollsBackToTheCommonPrefixAndForksByCopy() throws {
        var matcher = try Self.matcher()
        matcher.begin(at: 1)
        try matcher.sync(to: [9, 4, 4])
        let afterTwo = matcher.state
        var branch = matcher                       // fork
        try branch.advance(3)
        #expect(branch.canStop && !matcher.canStop)
        try branch.advance(0)                      // EOS where it may stop
        #expect(branch.isFinished)
        #expect(try !branch.check(1))              // nothing follows a stop token
        #expect(try branch.allowedTokens().isEmpty)
        #expect(matcher.tokens == [4, 4])          // the original is untouched
        try matcher.sync(to: [9, 4, 1, 2])          // diverges after the first token
        #expect(matcher.tokens == [4, 1, 2])
        #expect(matcher.state == afterTwo)
        matcher.rollback(2)
        #expect(matcher.tokens == [4])
        #expect(try matcher.check(1) && matcher.check(4) && !matcher.check(2))
        #expect(matcher.tokens == [4])             // checks commit nothing
        matcher.rollback(to: 0)
        #expect(matcher.tokens.isEmpty && matcher.state == matcher.tokenConstraint.constraint.start)
    }

    @Test func masksAreServedByStateFromTheSharedCache() throws {
        var matcher = try Self.matcher()
        matcher.begin(at: 0)
        var logits = try Logits([0, 0, 0, 0, 0, 0])
        try matcher.mask(&logits)
        #expect((0..<6).filter { !logits.isMasked($0) } == [1, 4])
        let fork = matcher
        _ = try fork.allowedTokens()               // same state: from the cache
        #expect(matcher.tokenConstraint.maskCacheHits == 1)
    }
}
