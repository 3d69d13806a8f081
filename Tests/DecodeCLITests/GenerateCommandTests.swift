import Foundation
import GGUF
import Testing

/// `decode generate` on the default model: sampling, cautious sampling, constraints and
/// speculative decoding, a few tokens each.
@Suite("decode generate")
struct GenerateCommandTests {
    /// Runs `decode generate --json` with `arguments` and returns the parsed object.
    static func generate(_ arguments: [String]) throws -> [String: Any] {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let outcome = try CommandRunner.run(["generate", "--json", "--threads", "2", "--model", model.path] + arguments)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        return try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any],
                            "\(outcome.standardOutput)\n\(outcome.standardError)")
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test("greedy --json has every field and is deterministic", .enabled(if: DefaultModel.modelTestsEnabled))
    func greedy() throws {
        let arguments = ["--temp", "0", "--max-tokens", "4", "--top-logprobs", "2", "The capital of France is"]
        let first = try Self.generate(arguments)
        for key in ["prompt_tokens", "tokens", "text", "logprobs", "top_logprobs", "stats", "strategy", "stop_reason"] {
            #expect(first[key] != nil, "missing \(key)")
        }
        let tokens = try #require(first["tokens"] as? [Int])
        #expect(tokens.count == 4)
        #expect((first["logprobs"] as? [Double])?.count == 4)
        let top = try #require(first["top_logprobs"] as? [[[String: Any]]])
        // Greedy: each token is the most likely one.
        for (token, entries) in zip(tokens, top) { #expect(entries.first?["id"] as? Int == token) }
        // Each entry carries the token's text beside its id.
        let pieces = top.compactMap { $0.first?["token"] as? String }
        #expect(pieces.count == 4)
        #expect(pieces.joined() == first["text"] as? String)
        let strategy = try #require(first["strategy"] as? [String: Any])
        #expect(strategy["name"] as? String == "sample")
        #expect(strategy["steps"] as? Int == 4)
        let second = try Self.generate(arguments)
        #expect(second["tokens"] as? [Int] == tokens)
    }

    @Test("--seed makes sampling reproducible", .enabled(if: DefaultModel.modelTestsEnabled))
    func seeded() throws {
        let arguments = ["--temp", "1.2", "--top-k", "0", "--top-p", "1", "--min-p", "0", "--seed", "11",
                         "--max-tokens", "5", "Once upon a time"]
        let first = try Self.generate(arguments)
        let second = try Self.generate(arguments)
        #expect(first["tokens"] as? [Int] == second["tokens"] as? [Int])
        #expect((first["stats"] as? [String: Any])?["seed"] as? Int == 11)
    }

    @Test("--strategy cautious runs trials and reports them", .enabled(if: DefaultModel.modelTestsEnabled))
    func cautious() throws {
        // Entropy thresholds near zero: every step branches into the most trials.
        let object = try Self.generate(["--strategy", "cautious", "--seed", "1", "--cntp-max-trials", "3",
                                        "--cntp-entropy-low", "0", "--cntp-entropy-high", "0.001",
                                        "--max-tokens", "4", "Once upon a time"])
        let strategy = try #require(object["strategy"] as? [String: Any])
        #expect(strategy["name"] as? String == "cautious")
        #expect((strategy["branching_steps"] as? Int ?? 0) >= 1)
        #expect((strategy["branches_tried"] as? Int ?? 0) >= 3)
        #expect((object["tokens"] as? [Int])?.count == (object["logprobs"] as? [Double])?.count)
    }

    static let datePattern = "[0-9]{4}-[0-9]{2}-[0-9]{2}"

    static func matchesDate(_ text: String) throws -> Bool {
        let regex = try NSRegularExpression(pattern: "^\(datePattern)$")
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    @Test("--regex output matches, under lcd, awrs and smc", .enabled(if: DefaultModel.modelTestsEnabled),
          arguments: ["lcd", "awrs", "smc"])
    func regex(method: String) throws {
        var arguments = ["--regex", Self.datePattern, "--constrain", method, "--seed", "2", "--max-tokens", "12",
                         "--chat", "What is today's date?"]
        // AWRS and SMC truncate before the constraint: sample from the whole distribution.
        arguments += method == "lcd" ? ["--temp", "0"] : ["--temp", "0.8", "--top-k", "0", "--top-p", "1", "--min-p", "0"]
        if method == "smc" { arguments += ["--particles", "3"] }
        let object = try Self.generate(arguments)
        let text = try #require(object["text"] as? String)
        #expect(try Self.matchesDate(text), "\(text)")
        let constraint = try #require(object["constraint"] as? [String: Any])
        #expect(constraint["valid"] as? Bool == true)
        #expect(constraint["complete"] as? Bool == true)
        #expect(constraint["method"] as? String == method)
        if method != "lcd" { #expect((constraint["constraint_checks"] as? Int ?? 0) > 0) }
        if method == "smc" {
            let particles = try #require(object["particles"] as? [[String: Any]])
            #expect(particles.count == 3)
            let total = particles.compactMap { $0["weight"] as? Double }.reduce(0, +)
            #expect(abs(total - 1) < 1e-9)
            for particle in particles where particle["status"] as? String == "stopped" {
                #expect(try Self.matchesDate(particle["text"] as? String ?? ""))
            }
        }
    }

    @Test("--grammar json-string-array output parses as a JSON array of strings",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func grammar() throws {
        let grammar = Self.repository.appendingPathComponent("Grammars/json-string-array.gbnf").path
        let object = try Self.generate(["--grammar", grammar, "--temp", "0", "--max-tokens", "24",
                                        "--chat", "List three colors as a JSON array."])
        let text = try #require(object["text"] as? String)
        let constraint = try #require(object["constraint"] as? [String: Any])
        #expect(constraint["valid"] as? Bool == true)
        if constraint["complete"] as? Bool == true {
            let array = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
            #expect(array?.isEmpty == false, "\(text)")
        } else {
            #expect(object["stop_reason"] as? String == "max_tokens", "\(text)")
        }
    }

    @Test("--json-schema output validates", .enabled(if: DefaultModel.modelTestsEnabled))
    func jsonSchema() throws {
        let schema = #"{"type":"object","properties":{"name":{"type":"string","maxLength":12},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}"#
        let url = try CommandRunner.temporaryFile(named: "person.json", contents: Data(schema.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let object = try Self.generate(["--json-schema", url.path, "--temp", "0", "--max-tokens", "40",
                                        "--chat", "Describe a person as JSON."])
        let text = try #require(object["text"] as? String)
        let constraint = try #require(object["constraint"] as? [String: Any])
        #expect(constraint["complete"] as? Bool == true, "\(text)")
        #expect(constraint["json_parses"] as? Bool == true, "\(text)")
        let person = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
        #expect(Set(person.keys) == ["name", "age"])
        #expect((person["name"] as? String).map { $0.count <= 12 } == true)
        #expect(person["age"] is Int)
    }

    @Test("--speculative ngram --tree dynamic at temperature 0 gives plain greedy's tokens",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func speculative() throws {
        let prompt = "1, 2, 3, 4, 5, 6, 7, 8,"
        let plain = try Self.generate(["--temp", "0", "--max-tokens", "12", prompt])
        let speculative = try Self.generate(["--temp", "0", "--max-tokens", "12", "--speculative", "ngram",
                                             "--tree", "dynamic", prompt])
        #expect(speculative["tokens"] as? [Int] == plain["tokens"] as? [Int])
        let statistics = try #require(speculative["speculative"] as? [String: Any])
        for key in ["acceptance_rate", "mean_accepted_length", "tokens_per_target_call", "draft_seconds", "verify_seconds"] {
            #expect(statistics[key] != nil, "missing \(key)")
        }
        #expect((statistics["tokens_per_target_call"] as? Double ?? 0) >= 1)
        #expect((speculative["strategy"] as? [String: Any])?["name"] as? String == "sample+draft:ngram")
        // The budget adapts by default (a fixed 16 was slower than plain decoding here).
        #expect(statistics["tree_budget"] as? String == "auto")
        let fixed = try Self.generate(["--temp", "0", "--max-tokens", "4", "--speculative", "ngram", "--tree-budget", "16", prompt])
        #expect((fixed["speculative"] as? [String: Any])?["tree_budget"] as? String == "16")
    }
}

/// Text mode says why generation stopped, beside the statistics on stderr.
@Suite("decode generate: text mode")
struct GenerateTextModeTests {
    @Test("the stop reason is printed with the statistics", .enabled(if: DefaultModel.modelTestsEnabled))
    func stopReason() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let outcome = try CommandRunner.run(["generate", "--threads", "2", "--model", model.path, "--temp", "0",
                                             "--max-tokens", "3", "The capital of France is"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("stopped: max_tokens"), "\(outcome.standardError)")
    }
}
