import Foundation
import GGUF
import Testing

/// The compositions of issue 16 on the default model through `decode generate` and
/// `decode compare`: CNTP and searches under a constraint, speculative decoding under a
/// constraint (LCD and AWRS forms) and with CNTP. Every output is checked with Foundation's
/// regular expressions or JSON parser, not with the constraint that produced it.
@Suite("composed strategies")
struct ComposedStrategiesCommandTests {
    static let schema = #"{"type":"object","properties":{"name":{"type":"string","maxLength":12},"age":{"type":"integer","minimum":0,"maximum":120}},"required":["name","age"],"additionalProperties":false}"#
    static let digits = try! NSRegularExpression(pattern: "^[0-9]{3}$")

    static func expectDigits(_ text: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(digits.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil, "\(context): \(text)",
                sourceLocation: sourceLocation)
    }

    static func expectPerson(_ text: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let person = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(context): \(text)",
                                  sourceLocation: sourceLocation)
        #expect(Set(person.keys) == ["name", "age"], "\(context): \(text)", sourceLocation: sourceLocation)
        #expect((person["name"] as? String).map { $0.count <= 12 } == true, "\(context): \(text)", sourceLocation: sourceLocation)
        #expect((person["age"] as? Int).map { (0...120).contains($0) } == true, "\(context): \(text)", sourceLocation: sourceLocation)
    }

    static let regexCases: [(arguments: [String], name: String)] = [
        (["--strategy", "cautious"], "cautious+lcd"),
        (["--strategy", "beam:2"], "beam:2+lcd"),
        (["--strategy", "best-of-n:3"], "best-of-n:3+lcd"),
        (["--strategy", "lookahead:2"], "lookahead:2+lcd"),
        (["--strategy", "lcd", "--speculative", "ngram"], "lcd+draft:ngram"),
        (["--constrain", "awrs", "--speculative", "ngram"], "awrs+draft:ngram"),
        (["--strategy", "cautious", "--speculative", "ngram"], "cautious+lcd+draft:ngram"),
        (["--strategy", "greedy", "--speculative", "layerskip:24"], "greedy+lcd+draft:model"),
    ]

    @Test("generate runs every composition under --regex, outputs validated by NSRegularExpression",
          .enabled(if: DefaultModel.modelTestsEnabled), arguments: regexCases)
    func generateUnderRegex(arguments: [String], name: String) throws {
        let object = try GenerateCommandTests.generate(arguments + ["--regex", "[0-9]{3}", "--seed", "3", "--max-tokens", "8",
                                                                    "--chat", "Write a three-digit number."])
        #expect((object["strategy"] as? [String: Any])?["name"] as? String == name)
        Self.expectDigits(try #require(object["text"] as? String), name)
        if name.contains("+draft:") { #expect(object["speculative"] != nil, "\(name) reports its drafts") }
    }

    @Test("generate --json-schema with CNTP, a search and speculative decoding, validated by JSONSerialization",
          .enabled(if: DefaultModel.modelTestsEnabled),
          arguments: [["--strategy", "cautious"], ["--strategy", "beam:2"], ["--strategy", "lcd+draft:ngram"],
                      ["--constrain", "awrs", "--speculative", "ngram"]])
    func generateUnderSchema(arguments: [String]) throws {
        let url = try CommandRunner.temporaryFile(named: "person.json", contents: Data(Self.schema.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let object = try GenerateCommandTests.generate(arguments + ["--json-schema", url.path, "--seed", "2", "--max-tokens", "40",
                                                                    "--chat", "Describe a person as JSON."])
        let text = try #require(object["text"] as? String)
        try Self.expectPerson(text, "\(arguments)")
    }

    @Test("greedy constrained speculative decoding gives constrained greedy decoding's tokens (LCD and AWRS forms)",
          .enabled(if: DefaultModel.modelTestsEnabled), arguments: ["lcd", "awrs"])
    func greedyLossless(mode: String) throws {
        let url = try CommandRunner.temporaryFile(named: "person.json", contents: Data(Self.schema.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let common = ["--json-schema", url.path, "--temp", "0", "--max-tokens", "40", "--chat",
                      "Copy this record exactly: {\"name\": \"Ada\", \"age\": 36}"]
        let plain = try GenerateCommandTests.generate(["--strategy", mode] + common)
        let speculative = try GenerateCommandTests.generate(["--strategy", "\(mode)+draft:ngram"] + common)
        #expect(speculative["tokens"] as? [Int] == plain["tokens"] as? [Int])
        try Self.expectPerson(try #require(speculative["text"] as? String), mode)
        let statistics = try #require(speculative["speculative"] as? [String: Any])
        #expect((statistics["tokens_per_target_call"] as? Double ?? 0) > 1, "\(statistics)")
    }

    @Test("compare runs speculative and constrained variants; --baseline matches canonically",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func compareVariants() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let lines = """
            {"id": "digits", "prompt": "Write a three-digit number.", "regex": "[0-9]{3}"}
            {"id": "person", "prompt": "Describe a person as JSON.", "schema": \(Self.schema)}

            """
        let strategies = ["lcd", "lcd+draft:ngram", "awrs+draft:ngram", "cautious+lcd", "beam:2+lcd", "sample+draft:ngram"]
        let outcome = try CompareCommandTests.compare(["--strategies", strategies.joined(separator: ","),
                                                       "--baseline", "lcd + draft:ngram", "--max-tokens", "40",
                                                       "--format", "jsonl", "--quiet"],
                                                      model: model.path, lines: lines)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let records = try outcome.standardOutput.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        #expect(records.count == 2 * strategies.count, "\(outcome.standardOutput)")
        for record in records {
            let strategy = try #require(record["strategy"] as? String)
            #expect(strategies.contains(strategy), "\(record)")
            let text = try #require(record["text"] as? String)
            guard strategy != "sample+draft:ngram" else { continue }  // unconstrained: any text
            #expect(record["failure"] == nil || record["failure"] is NSNull, "\(record)")
            if record["task"] as? String == "digits" { Self.expectDigits(text, strategy) } else { try Self.expectPerson(text, strategy) }
        }
        let table = try CompareCommandTests.compare(["--strategies", "lcd,lcd+draft:ngram", "--baseline", "lcd+ draft:ngram",
                                                     "--max-tokens", "8", "--quiet"],
                                                    model: model.path, lines: lines)
        #expect(table.status == 0, "\(table.standardError)")
        #expect(table.standardOutput.contains("lcd+draft:ngram"), "\(table.standardOutput)")
    }

    @Test("compare refuses +draft:model without --draft-model, and a bad --baseline with the language's sentence")
    func compareRefusals() throws {
        let draft = try CompareCommandTests.compare(["--strategies", "sample+draft:model"])
        #expect(draft.status == 64)
        #expect(draft.standardError.contains("'sample+draft:model' needs --draft-model"), "\(draft.standardError)")
        let baseline = try CompareCommandTests.compare(["--strategies", "greedy,lcd", "--baseline", "lcd+fast"])
        #expect(baseline.status == 64)
        #expect(baseline.standardError.contains("--baseline: unknown strategy modifier '+fast'"), "\(baseline.standardError)")
    }
}
