import Decoding
import Foundation
import Testing
import Tokenizer

/// Exact agreement with llama.cpp's `test-tokenizer-0` on its byte-level BPE test vocabularies
/// (`.cache/llama-cpp/vocab/ggml-vocab-NAME.gguf` with `.inp`/`.out`: no BOS, special tokens not
/// parsed), and decode ∘ encode = identity on those texts and on seeded random Unicode, with no
/// exceptions. (Random text is checked against llama.cpp itself outside the tests, by
/// `Benchmarks/Tokenizer/compare.py --text random` and `check_names.py`: the ids agree except
/// around characters assigned after Unicode 14, which PCRE2 10.42's tables do not know.)
@Suite struct LlamaCppBPEVocabularyTests {
    /// Every BPE vocabulary llama.cpp ships test cases for, by file name, which is also its
    /// `tokenizer.ggml.pre`.
    static let names = [
        "llama-bpe", "qwen2", "qwen35", "gpt-2", "mpt", "starcoder", "refact", "command-r", "falcon",
        "deepseek-llm", "deepseek-coder",
    ]

    /// Loaded tokenizers, shared by the tests (a 128 000-token vocabulary takes a while to load).
    private static let cache = TokenizerCache()

    @Test(arguments: names)
    func everyCaseMatchesLlamaCpp(name: String) throws {
        let tokenizer = try Self.cache.tokenizer(name)
        let cases = try LlamaCppVocabulary.cases(name)
        #expect(!cases.isEmpty)
        var failures = 0
        for reference in cases {
            let ids = try tokenizer.encode(reference.text, parseSpecial: false, addBOS: false)
            guard ids != reference.ids else { continue }
            failures += 1
            if failures <= 10 {
                Issue.record("\(name): \(reference.text.debugDescription)\n  llama.cpp: \(reference.ids)\n  ours:      \(ids)")
            }
        }
        #expect(failures == 0, "\(name): \(failures) of \(cases.count) cases differ")
    }

    @Test(arguments: names)
    func casesRoundTrip(name: String) throws {
        let tokenizer = try Self.cache.tokenizer(name)
        for reference in try LlamaCppVocabulary.cases(name) {
            let ids = try tokenizer.encode(reference.text)
            #expect(try tokenizer.decode(ids) == Array(reference.text.utf8), "\(name): \(reference.text.debugDescription)")
        }
    }

    @Test(arguments: names)
    func randomUnicodeRoundTrips(name: String) throws {
        let tokenizer = try Self.cache.tokenizer(name)
        for seed in 0..<8 {
            var rng = SplitMix64(seed: UInt64(seed))
            let text = RandomText.make(length: 300, using: &rng)
            let plain = try tokenizer.encode(text)
            #expect(try tokenizer.decode(plain) == Array(text.utf8), "\(name), seed \(seed)")
            let parsed = try tokenizer.encode(text, parseSpecial: true)
            #expect(try tokenizer.decode(parsed) == Array(text.utf8), "\(name), seed \(seed), special tokens parsed")
        }
    }

    /// Prints `matched/cases` per vocabulary (for reports); the exact check is
    /// ``everyCaseMatchesLlamaCpp(name:)``.
    @Test func matchTable() throws {
        var lines = ["vocabulary       matched/cases"]
        for name in Self.names {
            let tokenizer = try Self.cache.tokenizer(name)
            let cases = try LlamaCppVocabulary.cases(name)
            let matched = try cases.filter { try tokenizer.encode($0.text) == $0.ids }.count
            lines.append(name.padding(toLength: 17, withPad: " ", startingAt: 0) + "\(matched)/\(cases.count)")
        }
        print(lines.joined(separator: "\n"))
    }

    @Test(arguments: names)
    func vocabularyNamesItsPreTokenizer(name: String) throws {
        let tokenizer = try Self.cache.tokenizer(name)
        #expect(tokenizer.preTokenizer?.name == name)
    }
}

/// Tokenizers by vocabulary name, each loaded once.
private final class TokenizerCache: @unchecked Sendable {
    private let lock = NSLock()
    private var loaded: [String: Tokenizer] = [:]

    func tokenizer(_ name: String) throws -> Tokenizer {
        lock.lock()
        defer { lock.unlock() }
        if let tokenizer = loaded[name] { return tokenizer }
        let tokenizer = try LlamaCppVocabulary.tokenizer(name)
        loaded[name] = tokenizer
        return tokenizer
    }
}
