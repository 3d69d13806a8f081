import Constraints
import Decoding
import Testing

/// The trie walk gives exactly the tokens a token-by-token check allows.
struct TokenTrieMaskTests {
    /// A vocabulary with shared prefixes, multi-byte characters split across tokens, a token
    /// that is a prefix of others, duplicates and empty (special) tokens.
    static let table = TokenBytes([
        [], Array("{".utf8), Array("{\"".utf8), Array("\"".utf8), Array("a".utf8), Array("ab".utf8), Array("abc".utf8),
        Array(":".utf8), Array(" ".utf8), Array("1".utf8), Array("12".utf8), Array("}".utf8), Array("\"}".utf8),
        [0xC3], [0xA9], Array("é".utf8), Array("é\"".utf8), Array("true".utf8), Array("tr".utf8), Array("ue".utf8),
        Array("[".utf8), Array("]".utf8), Array(",".utf8), Array("ab".utf8), [], Array("😀".utf8), [0xF0, 0x9F],
    ])

    static func bruteForce<C: Constraint>(_ constraint: C, _ state: C.State, stop: Set<Int>) throws -> [Int] {
        var allowed: [Int] = []
        for id in 0..<table.count {
            if table[id].isEmpty {
                if stop.contains(id) && constraint.canStop(state) { allowed.append(id) }
            } else if try constraint.advance(state, by: table[id]) != nil {
                allowed.append(id)
            }
        }
        return allowed
    }

    @Test func trieHoldsEveryNonEmptyToken() {
        let trie = TokenTrie(Self.table)
        #expect(trie.vocabularySize == Self.table.count)
        #expect(trie.emptyTokens == [0, 24])
        #expect(trie.maxDepth == 4)
    }

    @Test(arguments: ["", "{", "{\"a", "{\"é", "{\"\u{00E9}\": 1", "{\"x\": tr", "[", "[1, \"a\"", "[\"😀"])
    func grammarMaskMatchesBruteForce(prefix: String) throws {
        let url = GrammarLibraryTests.folder.appendingPathComponent("json.gbnf")
        let constraint = try GrammarConstraint(gbnf: String(contentsOf: url, encoding: .utf8))
        let trie = TokenTrie(Self.table)
        let state = try #require(try constraint.advance(constraint.start, by: Array(prefix.utf8)))
        let mask = try constraint.allowedTokens(after: state, trie: trie, stopTokens: [0])
        #expect(mask.tokens == (try Self.bruteForce(constraint, state, stop: [0])), "after \(prefix.debugDescription)")
    }

    @Test(arguments: [(#"[a-c]+\d*"#, ""), (#"\{"é+"\}"#, "{\""), (#".{0,3}"#, "ab"), ("(true|1)", "t")])
    func regexMaskMatchesBruteForce(pattern: String, prefix: String) throws {
        let constraint = try RegexConstraint(pattern: pattern)
        let trie = TokenTrie(Self.table)
        let state = try #require(try constraint.advance(constraint.start, by: Array(prefix.utf8)))
        let mask = try constraint.allowedTokens(after: state, trie: trie, stopTokens: [0])
        #expect(mask.tokens == (try Self.bruteForce(constraint, state, stop: [0])), "\(pattern) after \(prefix.debugDescription)")
    }

    @Test func stopTokensOnlyWhereTheConstraintMayStop() throws {
        let constraint = try GrammarConstraint(gbnf: #"root ::= "ab" "c"?"#)
        let trie = TokenTrie(Self.table)
        let ab = try #require(try constraint.advance(constraint.start, by: Array("ab".utf8)))
        #expect(try constraint.allowedTokens(after: ab, trie: trie, stopTokens: [0]).contains(0))
        #expect(try !constraint.allowedTokens(after: constraint.start, trie: trie, stopTokens: [0]).contains(0))
    }

    @Test func deadEndNamesThePosition() throws {
        // Only "x" is allowed, and no token spells it.
        let constraint = try GrammarConstraint(gbnf: #"root ::= "a" "x""#)
        let trie = TokenTrie(Self.table)
        let a = try #require(try constraint.advance(constraint.start, by: Array("a".utf8)))
        #expect(throws: ConstraintError.deadEnd(position: 3)) {
            _ = try constraint.requireAllowedTokens(after: a, trie: trie, stopTokens: [0], position: 3)
        }
    }

    @Test func maskProcessorMasksLogitsAndFollowsHistory() throws {
        let constraint = try GrammarConstraint(gbnf: #"root ::= "{" "\"" [a-c]+ "\"}""#)
        var processor = try ConstraintMask(constraint: constraint, table: Self.table, stopTokens: [0])
        var logits = try Logits([Float](repeating: 0, count: Self.table.count))
        try processor.apply(to: &logits, history: [8, 8])
        #expect((0..<Self.table.count).filter { !logits.isMasked($0) } == [1, 2])
        logits = try Logits([Float](repeating: 0, count: Self.table.count))
        try processor.apply(to: &logits, history: [8, 8, 2, 5])
        #expect((0..<Self.table.count).filter { !logits.isMasked($0) } == [3, 4, 5, 6, 12, 23])
        #expect(throws: ConstraintError.rejectedToken(9, position: 1)) {
            try processor.apply(to: &logits, history: [8, 8, 2, 9])
        }
    }
}

/// The processor's mask cache serves repeated states and changes nothing.
struct ConstraintMaskCacheTests {
    @Test func repeatedStatesHitTheCacheWithIdenticalMasks() throws {
        let constraint = try GrammarConstraint(gbnf: #"root ::= "\"" [a-c]* "\"""#)
        let table = TokenTrieMaskTests.table
        var cached = try ConstraintMask(constraint: constraint, table: table, stopTokens: [0])
        cached.begin(at: 0)
        var history = [3]  // "\""
        for _ in 0..<5 {
            var row = try Logits([Float](repeating: 0, count: table.count))
            try cached.apply(to: &row, history: history)
            var fresh = try ConstraintMask(constraint: constraint, table: table, stopTokens: [0])
            fresh.begin(at: 0)
            var expected = try Logits([Float](repeating: 0, count: table.count))
            try fresh.apply(to: &expected, history: history)
            #expect(row.values == expected.values)
            history.append(5)  // "ab": the state inside the string repeats
        }
        #expect(cached.maskCacheHits == 4)
    }
}
