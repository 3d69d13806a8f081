import Foundation
import GGUF
import Testing

/// A constraint with the default flags, as a new user types it: AWRS is the default method,
/// truncation is off under a constraint (so AWRS and SMC no longer dead-end on the default
/// top-k/top-p/min-p), and `--temp 0` takes the most likely allowed token at each step — the
/// same tokens under AWRS as under LCD — while SMC at `--temp 0` is a usage error.
@Suite("decode generate: constraints with default flags")
struct ConstrainedDefaultsCommandTests {
    static let yesNo = ["--chat", "Is the sky blue? Answer yes or no.", "--regex", "(yes|no)"]

    static func generate(_ arguments: [String]) throws -> [String: Any] {
        try GenerateCommandTests.generate(arguments)
    }

    @Test("the issue's command works as typed: AWRS by default, seeds 1–5",
          .enabled(if: DefaultModel.modelTestsEnabled), arguments: 1...5)
    func yesOrNoWithDefaults(seed: Int) throws {
        let output = try Self.generate(Self.yesNo + ["--seed", "\(seed)"])
        #expect(["yes", "no"].contains(output["text"] as? String ?? ""), "\(output["text"] ?? "")")
        let constraint = try #require(output["constraint"] as? [String: Any])
        #expect(constraint["method"] as? String == "awrs")
        #expect(constraint["complete"] as? Bool == true)
    }

    @Test("SMC with the default flags", .enabled(if: DefaultModel.modelTestsEnabled), arguments: [1, 2])
    func smcWithDefaults(seed: Int) throws {
        let output = try Self.generate(Self.yesNo + ["--seed", "\(seed)", "--constrain", "smc", "--particles", "4"])
        #expect(["yes", "no"].contains(output["text"] as? String ?? ""), "\(output["text"] ?? "")")
    }

    @Test("--temp 0 under a JSON Schema: AWRS gives LCD's tokens (the most likely allowed one each step), for any seed",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func greedyUnderASchema() throws {
        let schema = GenerateCommandTests.repository.appendingPathComponent("Grammars/schemas/tool-call.schema.json").path
        let base = ["--chat", "Call the weather tool for Paris.", "--json-schema", schema, "--temp", "0", "--max-tokens", "48"]
        let lcd = try Self.generate(base + ["--constrain", "lcd"])
        let tokens = try #require(lcd["tokens"] as? [Int])
        for seed in ["1", "2"] {
            let awrs = try Self.generate(base + ["--seed", seed])
            #expect(awrs["tokens"] as? [Int] == tokens)
            let constraint = try #require(awrs["constraint"] as? [String: Any])
            #expect(constraint["method"] as? String == "awrs")
            #expect(constraint["valid"] as? Bool == true)
        }
    }
}
