import Constraints
import Decoding
import Foundation
import GGUF
import Testing
import Tokenizer

/// Mask computation time on the real 49 152-token vocabulary, for `Benchmarks/Constraints/run.sh`.
/// Runs only when `CONSTRAINT_BENCHMARK_OUT` names a folder; writes `swift-masks.json` (per
/// workload: the tokens of a sample text, the time of each mask, the allowed counts) and
/// `vocabulary.json` (token bytes in hex, control tokens marked) there for the llguidance side.
///
/// Times are the calling thread's CPU time (the machine is shared), the least of
/// `CONSTRAINT_BENCHMARK_REPEATS` (default 1) computations of each mask. Regex workloads are
/// also measured the way they were computed before, in the same run: with
/// ``RegexConstraint/Engine/pcre2`` (whole-prefix PCRE2 partial matching).
struct MaskBenchmark {
    static let outputFolder = ProcessInfo.processInfo.environment["CONSTRAINT_BENCHMARK_OUT"]
    static let repeats = max(1, Int(ProcessInfo.processInfo.environment["CONSTRAINT_BENCHMARK_REPEATS"] ?? "") ?? 1)

    struct Workload: Codable {
        var name: String
        var kind: String  // "gbnf" or "regex"
        var source: String
        var tokens: [Int] = []
        var maskSeconds: [Double] = []
        /// Regex workloads: the same masks with the PCRE2 engine (how they were computed before).
        var beforeMaskSeconds: [Double] = []
        var allowedCounts: [Int] = []
        /// The same masks through ``ConstraintMask`` (cached by state) applied to a logits row.
        var processorSeconds: [Double] = []
        var processorCacheHits = 0
    }

    static func workloads() throws -> [Workload] {
        let json = try String(contentsOf: GrammarLibraryTests.folder.appendingPathComponent("json.gbnf"), encoding: .utf8)
        return [
            Workload(name: "json-grammar", kind: "gbnf", source: json),
            Workload(name: "record-regex", kind: "regex",
                     source: #"\{"name": "[A-Za-z ]{1,40}", "email": "[a-z0-9.]+@[a-z0-9]+\.(com|org|net)", "age": [0-9]{1,3}\}"#),
            Workload(name: "sentence-regex", kind: "regex", source: #"[A-Z][^.!?\n]{0,200}[.!?]"#),
        ]
    }

    static let samples = [
        "json-grammar": #"{"name": "Ada Lovelace", "born": 1815, "languages": ["English", "French"], "notes": {"analytical_engine": true, "bernoulli": [1, -0.5, 0.1666]}, "quote": "That brain of mine is something more than merely mortal; as time will show."}"#,
        "record-regex": #"{"name": "Grace Hopper", "email": "grace.hopper@navy.com", "age": 85}"#,
        "sentence-regex": "The quick brown fox jumps over the lazy dog, while the café owner watches — amused, naïve and 100% awake!",
    ]

    @Test(.enabled(if: outputFolder != nil))
    func measure() throws {
        let folder = URL(fileURLWithPath: try #require(Self.outputFolder))
        let url = try #require(DefaultModel.locate())
        let tokenizer = try Tokenizer(file: GGUFFile(contentsOf: url))
        let pieces = tokenizer.byteTable
        let table = TokenBytes(pieces)
        let buildStart = Date()
        let trie = TokenTrie(table)
        let trieSeconds = Date().timeIntervalSince(buildStart)
        let eos = try #require(tokenizer.specialTokens.eos)
        var results: [Workload] = []
        for var workload in try Self.workloads() {
            let text = try #require(Self.samples[workload.name])
            workload.tokens = try tokenizer.encode(text, parseSpecial: false)
            switch workload.kind {
            case "gbnf": try run(GrammarConstraint(gbnf: workload.source), &workload, table, trie, eos)
            default:
                try run(RegexConstraint(pattern: workload.source), &workload, table, trie, eos)
                var before = workload
                try run(RegexConstraint(pattern: workload.source, engine: .pcre2), &before, table, trie, eos)
                // (Counts may differ where PCRE2 assumes a 4-byte character's completion past its
                // search budget, which the automaton decides exactly.)
                workload.beforeMaskSeconds = before.maskSeconds
            }
            results.append(workload)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(results).write(to: folder.appendingPathComponent("swift-masks.json"))
        let vocabulary: [String: AnyCodable] = [
            "tokens": .strings(pieces.map { $0.map { String(format: "%02x", $0) }.joined() }),
            "control": .ints((0..<tokenizer.vocabularySize).filter { tokenizer.isControl($0) }),
            "eos": .ints([eos]),
            "trieNodes": .ints([trie.nodeCount]),
            "trieBuildMilliseconds": .ints([Int(trieSeconds * 1000)]),
        ]
        try encoder.encode(vocabulary).write(to: folder.appendingPathComponent("vocabulary.json"))
    }

    private func run<C: Constraint>(_ constraint: C, _ workload: inout Workload, _ table: TokenBytes,
                                    _ trie: TokenTrie, _ eos: Int) throws {
        var state = constraint.start
        workload.maskSeconds = []
        workload.allowedCounts = []
        for token in workload.tokens {
            var mask = TokenMask(vocabularySize: table.count)
            var least = Double.infinity
            for _ in 0..<Self.repeats {
                let start = Self.threadCPUSeconds()
                mask = try constraint.allowedTokens(after: state, trie: trie, stopTokens: [eos])
                least = min(least, Self.threadCPUSeconds() - start)
            }
            workload.maskSeconds.append(least)
            workload.allowedCounts.append(mask.count)
            let allowed = mask.contains(token)
            try #require(allowed, "\(workload.name): sample token \(token) not allowed")
            state = try #require(try constraint.advance(state, by: table[token]))
        }
        #expect(constraint.canStop(state), "\(workload.name): sample is not complete")
        var processor = try ConstraintMask(constraint: constraint, table: table, trie: trie, stopTokens: [eos])
        processor.begin(at: 0)
        var row = try Logits([Float](repeating: 0, count: table.count))
        workload.processorSeconds = []
        for n in workload.tokens.indices {
            let history = Array(workload.tokens[..<n])
            let start = Self.threadCPUSeconds()
            try processor.apply(to: &row, history: history)
            workload.processorSeconds.append(Self.threadCPUSeconds() - start)
            try #require(!row.isMasked(workload.tokens[n]))
            row = try Logits([Float](repeating: 0, count: table.count))
        }
        workload.processorCacheHits = processor.maskCacheHits
    }

    /// CPU time of the calling thread, in seconds.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// A JSON value that is a list of strings or of integers.
enum AnyCodable: Encodable {
    case strings([String])
    case ints([Int])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .strings(let s): try container.encode(s)
        case .ints(let i): try container.encode(i)
        }
    }
}
