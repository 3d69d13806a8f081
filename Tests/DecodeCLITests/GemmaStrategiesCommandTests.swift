import Foundation
import GGUF
import Testing

/// Whether Gemma 3 270M is fetched (and model tests are not skipped).
private let gemmaFetched = DefaultModel.modelTestsEnabled && KnownModel.gemma3.locate() != nil

/// Every strategy of `decode` on Gemma 3 270M Q4_K_M (`--model gemma3-270m`, fetched by
/// `Scripts/fetch-gemma3.sh`; CI fetches it), issue 15's end-to-end check: its 262 144-token
/// vocabulary is the stress test for the sampler, the constraint masks and tries, and the n-gram
/// drafter. Each run is a few tokens; the checks are on what the tool says it did (exit status,
/// tokens, JSON valid under the schema by a check written here, greedy tokens unchanged by
/// speculation), never on timings.
@Suite("decode on Gemma 3 270M: every strategy", .enabled(if: gemmaFetched))
struct GemmaStrategiesCommandTests {
    /// The model's name, resolved by the tool as a user would give it.
    static let model = KnownModel.gemma3.rawValue

    /// `decode generate --json --model gemma3-270m` with `arguments`: the parsed output, after
    /// checking the run succeeded and produced at least one token.
    static func generate(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let outcome = try CommandRunner.run(["generate", "--json", "--threads", "2", "--model", model] + arguments)
        #expect(outcome.status == 0, "\(outcome.standardError)", sourceLocation: sourceLocation)
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any],
            "\(outcome.standardOutput)\n\(outcome.standardError)", sourceLocation: sourceLocation)
        let tokens = try #require(object["tokens"] as? [Int], sourceLocation: sourceLocation)
        #expect(!tokens.isEmpty, "\(object)", sourceLocation: sourceLocation)
        #expect(tokens.allSatisfy { (0..<262_144).contains($0) }, "\(tokens)", sourceLocation: sourceLocation)
        return object
    }

    static func tokens(_ object: [String: Any]) -> [Int] { object["tokens"] as? [Int] ?? [] }

    // MARK: - Sampling, cautious, beam

    @Test("seeded sampling: the same seed gives the same tokens, stopping at the length limit or an end token")
    func seededSampling() throws {
        let arguments = ["--seed", "7", "--temp", "0.8", "--max-tokens", "8", "The capital of France is"]
        let first = try Self.generate(arguments)
        let second = try Self.generate(arguments)
        #expect(Self.tokens(first) == Self.tokens(second))
        #expect(Self.tokens(first).count <= 8)
        #expect(["max_tokens", "end_of_sequence"].contains(first["stop_reason"] as? String ?? ""), "\(first)")
        #expect((first["strategy"] as? [String: Any])?["name"] as? String == "sample")
    }

    @Test("--strategy cautious and --strategy beam:2 run and say so")
    func cautiousAndBeam() throws {
        for (strategy, name) in [("cautious", "cautious"), ("beam:2", "beam")] {
            let object = try Self.generate(["--strategy", strategy, "--seed", "3", "--max-tokens", "6",
                                            "Water boils at"])
            #expect(Self.tokens(object).count <= 6, "\(strategy)")
            let reported = (object["strategy"] as? [String: Any])?["name"] as? String ?? ""
            #expect(reported.hasPrefix(name), "\(strategy): \(object["strategy"] ?? "nil")")
        }
    }

    // MARK: - Constraints

    /// A small object schema whose every valid instance fits in the token budget.
    static let schema = """
        {"type": "object",
         "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 12},
                        "age": {"type": "integer", "minimum": 0, "maximum": 150}},
         "required": ["name", "age"], "additionalProperties": false}
        """

    /// Checks `text` against ``schema`` by hand (not with the constraint that produced it).
    static func expectValidPerson(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let person = try #require(value as? [String: Any], "not an object: \(text)", sourceLocation: sourceLocation)
        #expect(Set(person.keys) == ["name", "age"], "\(text)", sourceLocation: sourceLocation)
        let name = try #require(person["name"] as? String, "\(text)", sourceLocation: sourceLocation)
        #expect((1...12).contains(name.count), "\(text)", sourceLocation: sourceLocation)
        let age = try #require(person["age"] as? Int, "\(text)", sourceLocation: sourceLocation)
        #expect((0...150).contains(age), "\(text)", sourceLocation: sourceLocation)
        // An integer literal, not 30.0 (which Foundation would also bridge to Int).
        #expect(text.range(of: #""age"\s*:\s*-?[0-9]+\s*[,}]"#, options: .regularExpression) != nil, "\(text)",
                sourceLocation: sourceLocation)
    }

    static let constrainedRuns: [(method: String, arguments: [String])] = [
        ("lcd", ["--constrain", "lcd", "--temp", "0"]),
        ("awrs", ["--constrain", "awrs", "--temp", "0"]),
        ("awrs", ["--constrain", "awrs", "--seed", "5", "--temp", "0.7"]),
        ("smc", ["--constrain", "smc", "--particles", "2", "--seed", "5", "--temp", "0.7"]),
    ]

    @Test("--json-schema with lcd, awrs and smc: complete JSON that a separate check finds valid",
          arguments: constrainedRuns)
    func jsonSchema(method: String, arguments: [String]) throws {
        let url = try CommandRunner.temporaryFile(named: "person.schema.json", contents: Data(Self.schema.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let object = try Self.generate(["--json-schema", url.path, "--max-tokens", "40"] + arguments
                                       + ["Ada is 36 years old. Her record as JSON:"])
        let text = try #require(object["text"] as? String)
        let constraint = try #require(object["constraint"] as? [String: Any])
        #expect(constraint["method"] as? String == method)
        #expect(constraint["valid"] as? Bool == true, "\(text)")
        #expect(constraint["complete"] as? Bool == true, "\(text)")
        try Self.expectValidPerson(text)
        if method == "smc" { #expect((object["particles"] as? [Any])?.count == 2) }
    }

    // MARK: - Speculative

    @Test("--speculative ngram at temperature 0 gives plain greedy's tokens (lossless)")
    func speculativeNGram() throws {
        let prompt = "1, 2, 3, 4, 5, 6, 7, 8, 9, 10,"
        let plain = try Self.generate(["--temp", "0", "--max-tokens", "16", prompt])
        let speculative = try Self.generate(["--temp", "0", "--max-tokens", "16", "--speculative", "ngram", prompt])
        #expect(Self.tokens(speculative) == Self.tokens(plain))
        #expect((speculative["strategy"] as? [String: Any])?["name"] as? String == "sample+draft:ngram")
        let statistics = try #require(speculative["speculative"] as? [String: Any])
        #expect((statistics["tokens_per_target_call"] as? Double ?? 0) >= 1, "\(statistics)")
    }

    // MARK: - Chat, tokenize, inspect

    /// `decode tokenize --model gemma3-270m --json --bos TEXT`'s ids.
    static func tokenize(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Int] {
        let outcome = try CommandRunner.run(["tokenize", "--model", model, "--json", "--bos", text])
        #expect(outcome.status == 0, "\(outcome.standardError)", sourceLocation: sourceLocation)
        let object = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any],
                                  "\(outcome.standardOutput)", sourceLocation: sourceLocation)
        return try #require(object["ids"] as? [Int], sourceLocation: sourceLocation)
    }

    @Test("--chat and --chat --system: the built-in gemma template's turns, then an answer")
    func chat() throws {
        let plain = try Self.generate(["--chat", "--temp", "0", "--max-tokens", "4", "Hi"])
        #expect(plain["prompt_tokens"] as? [Int]
                == (try Self.tokenize("<start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n")))
        // Gemma has no system turn: the template puts the system text first in the user's turn.
        let system = try Self.generate(["--chat", "--system", "Be brief.", "--temp", "0", "--max-tokens", "4", "Hi"])
        #expect(system["prompt_tokens"] as? [Int]
                == (try Self.tokenize("<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\n")))
    }

    @Test("tokenize and inspect accept the model's name, as generate does")
    func knownModelName() throws {
        let ids = try Self.tokenize("Hello world")
        #expect(ids.count >= 2 && ids.count <= 4, "\(ids)")
        let inspect = try CommandRunner.run(["inspect", "--model", Self.model, "--json"])
        #expect(inspect.status == 0, "\(inspect.standardError)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(inspect.standardOutput.utf8)) as? [String: Any])
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect((metadata["general.architecture"] as? [String: Any])?["value"] as? String == "gemma3")
        let tokens = try #require(metadata["tokenizer.ggml.tokens"] as? [String: Any])
        #expect(tokens["count"] as? Int == 262_144)
    }

    // MARK: - Compare

    @Test("decode compare: greedy, sample, lcd and awrs on two constrained tasks, one record each, valid outputs")
    func compare() throws {
        let lines = """
            {"id": "yes-no", "prompt": "Is fire hot? Answer yes or no.", "regex": "(yes|no)", "reference": "yes", "match": "contains"}
            {"id": "city", "prompt": "Which city is the capital of France? Answer with JSON.", "schema": {"type": "string", "enum": ["Paris", "Lyon", "Nice"]}, "reference": "Paris", "match": "contains"}

            """
        let tasks = try CommandRunner.temporaryFile(named: "tasks.jsonl", contents: Data(lines.utf8))
        defer { try? FileManager.default.removeItem(at: tasks) }
        let strategies = ["greedy", "sample", "lcd", "awrs"]
        let outcome = try CommandRunner.run(["compare", "--model", Self.model, "--tasks", tasks.path, "--threads", "2",
                                             "--quiet", "--strategies", strategies.joined(separator: ","),
                                             "--max-tokens", "8", "--format", "jsonl"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let records = try outcome.standardOutput.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        #expect(records.count == 2 * strategies.count, "\(outcome.standardOutput)")
        var seen: Set<String> = []
        for record in records {
            let strategy = try #require(record["strategy"] as? String)
            let task = try #require(record["task"] as? String)
            seen.insert("\(strategy)/\(task)")
            #expect(record["failure"] == nil || record["failure"] is NSNull, "\(record)")
            let tokens = try #require(record["tokens"] as? [Int])
            #expect(!tokens.isEmpty && tokens.count <= 8, "\(record)")
            guard strategy == "lcd" || strategy == "awrs" else { continue }
            // Under the task's own constraint the whole output is valid, checked here by hand.
            let text = try #require(record["text"] as? String)
            if task == "yes-no" {
                #expect(text == "yes" || text == "no", "\(record)")
            } else {
                let city = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? String
                #expect(["Paris", "Lyon", "Nice"].contains(city ?? ""), "\(record)")
            }
        }
        #expect(seen == Set(strategies.flatMap { strategy in ["yes-no", "city"].map { "\(strategy)/\($0)" } }))
    }
}
