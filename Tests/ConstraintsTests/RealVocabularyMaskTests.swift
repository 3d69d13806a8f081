import Constraints
import Foundation
import GGUF
import Testing
import Tokenizer

/// Masks over the default model's real 49 152-token vocabulary equal a token-by-token check.
struct RealVocabularyMaskTests {
    /// The token bytes of the default model, control tokens emptied (markup is never text).
    static func table() throws -> (TokenBytes, Tokenizer) {
        let url = try #require(DefaultModel.locate(), "default model not found (set SKIP_MODEL_TESTS=1 to skip)")
        let tokenizer = try Tokenizer(file: GGUFFile(contentsOf: url))
        let pieces = tokenizer.byteTable
        return (TokenBytes(pieces), tokenizer)
    }

    static func json() throws -> GrammarConstraint {
        let url = GrammarLibraryTests.folder.appendingPathComponent("json.gbnf")
        return try GrammarConstraint(gbnf: String(contentsOf: url, encoding: .utf8))
    }

    @Test(.enabled(if: DefaultModel.modelTestsEnabled))
    func maskEqualsBruteForceOnTheRealVocabulary() throws {
        let (table, tokenizer) = try Self.table()
        #expect(table.count == 49_152)
        let trie = TokenTrie(table)
        let stop: Set<Int> = [try #require(tokenizer.specialTokens.eos)]
        let grammar = try Self.json()
        let regex = try RegexConstraint(pattern: #"\{"id": [0-9]{1,6}, "tags": \["[a-zé]+"(, "[a-zé]+")*\]\}"#)
        for prefix in ["", #"{"name": "Ad"#, "[1, 2", #"{"a": [tr"#] {
            let state = try #require(try grammar.advance(grammar.start, by: Array(prefix.utf8)))
            try expectSameMask(grammar, state, table: table, trie: trie, stop: stop, label: "json after \(prefix)")
        }
        for prefix in ["", #"{"id": 12"#, #"{"id": 1, "tags": ["caf"#] {
            let state = try #require(try regex.advance(regex.start, by: Array(prefix.utf8)))
            try expectSameMask(regex, state, table: table, trie: trie, stop: stop, label: "regex after \(prefix)")
        }
    }

    private func expectSameMask<C: Constraint>(_ constraint: C, _ state: C.State, table: TokenBytes, trie: TokenTrie,
                                               stop: Set<Int>, label: String) throws {
        let mask = try constraint.allowedTokens(after: state, trie: trie, stopTokens: stop)
        var expected: [Int] = []
        for id in 0..<table.count {
            if table[id].isEmpty {
                if stop.contains(id), constraint.canStop(state) { expected.append(id) }
            } else if try constraint.advance(state, by: table[id]) != nil {
                expected.append(id)
            }
        }
        #expect(mask.tokens == expected, "\(label): \(mask.count) vs \(expected.count)")
        #expect(!expected.isEmpty, "\(label)")
    }
}
