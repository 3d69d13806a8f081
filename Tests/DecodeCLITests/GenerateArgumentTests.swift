import Foundation
import Testing

/// Bad input to `decode generate` is refused with one `error: …` line and a non-zero exit,
/// before any model loads (the model path given does not exist, so reaching it would fail
/// with a different message).
@Suite("decode generate: bad arguments")
struct GenerateArgumentTests {
    static let cases: [(arguments: [String], mentions: String)] = [
        (["--temp", "-1"], "--temp"),
        (["--temp", "nan"], "--temp"),
        (["--top-p", "0"], "--top-p"),
        (["--top-p", "1.5"], "--top-p"),
        (["--top-k", "-2"], "--top-k"),
        (["--min-p", "1.5"], "--min-p"),
        (["--typical", "0"], "--typical"),
        (["--repeat-penalty", "0"], "--repeat-penalty"),
        (["--repeat-last-n", "-2"], "--repeat-last-n"),
        (["--samplers", "top_k;bogus"], "valid names: penalties, top_k, typ_p, top_p, min_p, temperature"),
        (["--samplers", "top_k;top_k"], "twice"),
        (["--strategy", "beam"], "--strategy: strategy 'beam' needs a positive number after ':' (beam:4)"),
        (["--strategy", "bogus"], "valid strategies: greedy, sample, cautious, best-of-n:N"),
        (["--strategy", "greedy:2"], "strategy 'greedy' takes no ':' argument"),
        (["--strategy", "lcd"], "strategy 'lcd' needs a constraint"),
        (["--strategy", "smc:4", "--temp", "0", "--regex", "a"], "no greedy mode"),
        (["--strategy", "beam:2", "--speculative", "ngram"], "strategy 'beam:2+draft:ngram' cannot run with speculative decoding: a search"),
        (["--strategy", "lcd+draft:ngram", "--regex", "a", "--speculative", "ngram"], "both give the drafter"),
        (["--strategy", "awrs+lcd", "--regex", "a"], "strategy 'awrs' is constrained by itself"),
        (["--strategy", "beam:2+fast"], "unknown strategy modifier '+fast'; valid modifiers: +lcd, +draft:ngram, +draft:model"),
        (["--strategy", "cautious+lcd"], "strategy 'cautious+lcd' needs a constraint"),
        (["--strategy", "awrs", "--constrain", "lcd", "--regex", "a"], "both choose the strategy"),
        (["--strategy", "smc:4", "--regex", "a", "--particles", "8"], "both give the particle count"),
        (["--strategy", "awrs", "--regex", "a", "--resample", "systematic"], "--resample applies only to --constrain smc or --strategy smc:N"),
        (["--strategy", "cautious", "--cntp-max-trials", "0"], "--cntp-max-trials"),
        (["--strategy", "cautious", "--cntp-entropy-low", "2", "--cntp-entropy-high", "1"], "--cntp-entropy-high"),
        (["--max-tokens", "0"], "--max-tokens"),
        (["--regex", "[0-9"], "missing terminating ]"),
        (["--regex", "a", "--grammar", "g.gbnf"], "cannot be combined"),
        (["--grammar", "/nonexistent/g.gbnf"], "cannot read"),
        (["--json-schema", "/nonexistent/s.json"], "cannot read"),
        (["--constrain", "smc"], "needs a constraint"),
        (["--constrain", "beam", "--regex", "a"], "lcd"),
        (["--regex", "a", "--constrain", "smc", "--particles", "0"], "particles"),
        (["--regex", "a", "--constrain", "smc", "--ess-threshold", "2"], "ESS"),
        (["--regex", "a", "--constrain", "smc", "--resample", "roulette"], "systematic"),
        (["--regex", "a", "--particles", "4"], "only to --constrain smc"),
        (["--speculative", "layerskip:0"], "layerskip:K"),
        (["--speculative", "layerskip:x"], "layerskip:K"),
        (["--speculative", "medusa"], "unknown drafter"),
        (["--speculative", "ngram", "--regex", "a", "--constrain", "smc"], "+draft:ngram' cannot run with speculative decoding: sequential Monte Carlo"),
        (["--speculative", "ngram", "--tree-budget", "0"], "--tree-budget"),
        (["--speculative", "ngram", "--tree-budget", "many"], "--tree-budget"),
        (["--speculative", "ngram", "--tree", "chain", "--draft-depth", "0"], "depth"),
        (["--speculative", "ngram", "--tree", "static", "--tree-branching", "4,x"], "--tree-branching"),
        // Flags that would do nothing in the mode given are refused.
        (["--tree", "chain"], "--tree applies only with --speculative"),
        (["--tree-budget", "8"], "--tree-budget applies only with --speculative"),
        (["--draft-depth", "3"], "--draft-depth applies only with --speculative"),
        (["--tree-branching", "2,2"], "--tree-branching applies only with --speculative"),
        (["--speculative", "ngram", "--tree", "chain", "--tree-budget", "8"], "only to --tree dynamic"),
        (["--speculative", "ngram", "--tree-branching", "2,2"], "only to --tree static"),
        (["--speculative", "ngram", "--tree", "static", "--draft-depth", "3"], "--draft-depth applies to"),
        (["--cntp-max-trials", "3"], "--cntp-max-trials applies only to --strategy cautious"),
        (["--cntp-entropy-low", "0.1"], "--cntp-entropy-low applies only to --strategy cautious"),
        (["--samplers", ""], "--samplers: the sampler order names no stage"),
        (["--samplers", " "], "--samplers: the sampler order names no stage"),
        (["--top-logprobs", "3"], "--top-logprobs needs --json"),
        (["--regex", "a", "--constrain", "smc", "--temp", "0"], "no greedy mode"),
        // Negative numbers reach the option and get its own reason, not "Missing value".
        (["--seed", "-2"], "--seed must be a whole number"),
        (["--seed", "x"], "--seed must be a whole number"),
        (["--threads", "-1"], "--threads must be at least 1, got -1"),
        (["--top-logprobs", "-1"], "--top-logprobs must be >= 0, got -1"),
        (["--json", "--top-logprobs", "-1"], "--top-logprobs must be >= 0, got -1"),
        (["--speculative", "ngram", "--tree-budget", "-4"], "--tree-budget: the tree's node budget must be in"),
        (["--speculative", "ngram", "--draft-depth", "-1"], "depth"),
    ]

    @Test("one error line, non-zero exit, nothing on stdout", arguments: cases)
    func badArguments(arguments: [String], mentions: String) throws {
        let outcome = try CommandRunner.run(["generate", "--model", "/nonexistent/model.gguf"] + arguments + ["hi"])
        #expect(outcome.status == 64, "usage errors exit 64")
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.standardError)")
        #expect(lines.first?.hasPrefix("error: ") == true, "\(outcome.standardError)")
        #expect(outcome.standardError.contains(mentions), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test("bad grammar and schema files give the library's message", arguments: [
        ("g.gbnf", "root ::= (\"a\"\n", "--grammar"),
        ("g.gbnf", "item ::= \"a\"\n", "--grammar"),
        ("s.json", "{\"type\": ", "--json-schema"),
        ("s.json", "{\"type\": \"string\", \"minLength\": \"3\"}", "--json-schema"),
    ])
    func badFiles(name: String, contents: String, flag: String) throws {
        let url = try CommandRunner.temporaryFile(named: name, contents: Data(contents.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let outcome = try CommandRunner.run(["generate", "--model", "/nonexistent/model.gguf", flag, url.path, "hi"])
        #expect(outcome.status != 0)
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.standardError)")
        #expect(lines.first?.hasPrefix("error: \(flag) ") == true, "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("cannot read"), "\(outcome.standardError)")
    }
}
