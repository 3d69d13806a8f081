import Foundation
import GGUF
import Testing

/// The strategy language in `decode compare` and `decode generate` on the default model: lcd and
/// awrs compare on a regex task and a JSON Schema task (outputs checked with Foundation's regex
/// and JSON parser, not with the constraint that generated them); a task with neither is a
/// failure record that says why; `generate --strategy` runs a search and a constrained strategy.
@Suite("strategy language")
struct StrategyLanguageCommandTests {
    static let schema = #"{"type":"object","properties":{"age":{"type":"integer","minimum":0,"maximum":120}},"required":["age"],"additionalProperties":false}"#

    static let taskLines = """
        {"id": "digits", "prompt": "Write a three-digit number.", "regex": "[0-9]{3}"}
        {"id": "age", "prompt": "Give a person's age as JSON, like {\\"age\\": 40}.", "schema": \(schema)}
        {"id": "plain", "prompt": "2+2=", "reference": "4", "match": "contains"}

        """

    @Test("compare lcd,awrs: constrained tasks give valid outputs, a task without a constraint fails clearly",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func compareConstrained() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let outcome = try CompareCommandTests.compare(["--strategies", "lcd,awrs", "--max-tokens", "24", "--seeds", "2",
                                                       "--format", "jsonl", "--quiet"],
                                                      model: model.path, lines: Self.taskLines)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let records = try outcome.standardOutput.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        #expect(records.count == 3 * 2 * 2, "\(outcome.standardOutput)")
        for record in records {
            let strategy = try #require(record["strategy"] as? String)
            #expect(["lcd", "awrs"].contains(strategy))
            let text = try #require(record["text"] as? String)
            switch record["task"] as? String {
            case "digits":
                #expect(record["failure"] == nil || record["failure"] is NSNull, "\(record)")
                let whole = try NSRegularExpression(pattern: "^[0-9]{3}$")
                #expect(whole.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil, "\(record)")
                #expect(record["taskScore"] as? Double == 1, "\(record)")
            case "age":
                #expect(record["failure"] == nil || record["failure"] is NSNull, "\(record)")
                let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(record)")
                #expect(Set(object.keys) == ["age"], "\(record)")
                let age = try #require(object["age"] as? Int, "\(record)")
                #expect((0...120).contains(age), "\(record)")
                #expect(record["taskScore"] as? Double == 1, "\(record)")
            default:
                let failure = try #require(record["failure"] as? String, "\(record)")
                #expect(failure == "strategy '\(strategy)' needs a constraint (a regular expression, a grammar or a JSON Schema); task plain has no schema or regex",
                        "\(record)")
                #expect(text.isEmpty)
            }
        }
    }

    @Test("compare --strategies smc:N is accepted and runs under the task's regex",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func compareSMC() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let lines = #"{"id": "digits", "prompt": "Write a three-digit number.", "regex": "[0-9]{3}"}"# + "\n"
        let outcome = try CompareCommandTests.compare(["--strategies", "greedy,smc:3", "--max-tokens", "8", "--quiet"],
                                                      model: model.path, lines: lines)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("| smc:3 |"), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("tok/s"), "\(outcome.standardOutput)")
    }

    @Test("generate --strategy beam:2 and --strategy lcd", .enabled(if: DefaultModel.modelTestsEnabled))
    func generateWithLanguage() throws {
        let beam = try GenerateCommandTests.generate(["--strategy", "beam:2", "--max-tokens", "4", "The capital of France is"])
        #expect((beam["strategy"] as? [String: Any])?["name"] as? String == "beam:2")
        #expect(((beam["tokens"] as? [Int])?.count ?? 0) <= 4)
        let lcd = try GenerateCommandTests.generate(["--strategy", "lcd", "--regex", "[0-9]{3}", "--seed", "1",
                                                     "--max-tokens", "8", "Write a number:"])
        #expect((lcd["strategy"] as? [String: Any])?["name"] as? String == "lcd")
        let text = try #require(lcd["text"] as? String)
        #expect(text.count == 3 && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber), "\(text)")
    }
}
