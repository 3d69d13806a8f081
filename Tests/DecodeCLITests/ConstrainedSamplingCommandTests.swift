import Foundation
import GGUF
import Testing

/// `decode generate --constrain awrs|smc` on the default model: SMC under a JSON Schema from
/// `Grammars/schemas` prints valid JSON with every particle and its weight (issue 6's "done
/// when"), and the issue's bad inputs — particle counts ≤ 0, thresholds outside [0, 1], a
/// constraint no token satisfies from the start, every particle dying, truncation combined with
/// a constraint — each end in one clear error line or in the documented behaviour.
@Suite("decode generate: AWRS and SMC")
struct ConstrainedSamplingCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// Sample from the whole distribution: AWRS and SMC truncate before the constraint.
    static let untruncated = ["--top-k", "0", "--top-p", "1", "--min-p", "0"]

    static func run(_ arguments: [String]) throws -> CommandRunner.Outcome {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        return try CommandRunner.run(["generate", "--json", "--threads", "2", "--model", model.path] + arguments)
    }

    /// Checks `value` against `Grammars/schemas/person.schema.json`, written out by hand so the
    /// check does not depend on the library that produced the text: only the five declared
    /// members, `name` and `age` required, the length, range, format, pattern and item limits.
    static func expectPerson(_ value: Any, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let person = try #require(value as? [String: Any], "not an object: \(text)", sourceLocation: sourceLocation)
        #expect(Set(person.keys).isSubset(of: ["name", "age", "email", "birthday", "tags"]), "\(text)",
                sourceLocation: sourceLocation)
        let name = try #require(person["name"] as? String, "name: \(text)", sourceLocation: sourceLocation)
        #expect((1...80).contains(name.count), "\(text)", sourceLocation: sourceLocation)
        func matches(_ pattern: String, _ string: String) throws -> Bool {
            let regex = try NSRegularExpression(pattern: pattern)
            return regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
        }
        let age = try #require(person["age"] as? Int, "age: \(text)", sourceLocation: sourceLocation)
        #expect((0...150).contains(age), "\(text)", sourceLocation: sourceLocation)
        // An integer literal, not 46.0 (which Foundation would also bridge to Int).
        #expect(try matches(#""age"\s*:\s*[0-9]+\s*[,}]"#, text), "\(text)", sourceLocation: sourceLocation)
        if let email = person["email"] {
            let email = try #require(email as? String, "email: \(text)", sourceLocation: sourceLocation)
            #expect(try matches(#"^[^@\s]+@[^@\s]+$"#, email), "\(text)", sourceLocation: sourceLocation)
        }
        if let birthday = person["birthday"] {
            let birthday = try #require(birthday as? String, "birthday: \(text)", sourceLocation: sourceLocation)
            #expect(try matches(#"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"#, birthday), "\(text)",
                    sourceLocation: sourceLocation)
        }
        if let tags = person["tags"] {
            let tags = try #require(tags as? [String], "tags: \(text)", sourceLocation: sourceLocation)
            #expect(tags.count <= 8, "\(text)", sourceLocation: sourceLocation)
            for tag in tags { #expect(try matches("^[a-z][a-z0-9-]*$", tag), "\(text)", sourceLocation: sourceLocation) }
        }
    }

    @Test("--json-schema person --constrain smc: valid JSON, every particle with its weight",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func smcUnderAJSONSchema() throws {
        let schema = Self.repository.appendingPathComponent("Grammars/schemas/person.schema.json").path
        let outcome = try Self.run(["--json-schema", schema, "--constrain", "smc", "--particles", "4", "--seed", "2",
                                    "--temp", "0.5", "--max-tokens", "96"] + Self.untruncated
                                   + ["--chat", "Describe a fictional person as a JSON object with a name and an age."])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any],
                                  "\(outcome.standardOutput)\n\(outcome.standardError)")
        let text = try #require(object["text"] as? String)
        let constraint = try #require(object["constraint"] as? [String: Any])
        #expect(constraint["method"] as? String == "smc")
        #expect(constraint["valid"] as? Bool == true, "\(text)")
        #expect(constraint["complete"] as? Bool == true, "\(text)")
        #expect(constraint["json_parses"] as? Bool == true, "\(text)")
        #expect((constraint["constraint_checks"] as? Int ?? 0) > 0)
        #expect(constraint["log_marginal_likelihood"] is Double)
        try Self.expectPerson(try JSONSerialization.jsonObject(with: Data(text.utf8)), text)

        // Every particle is listed with its normalized weight, log weight, status and text.
        let particles = try #require(object["particles"] as? [[String: Any]])
        #expect(particles.count == 4)
        var total = 0.0
        for particle in particles {
            let weight = try #require(particle["weight"] as? Double, "\(particle)")
            #expect(weight >= 0 && weight <= 1)
            total += weight
            #expect(particle["tokens"] is [Int])
            #expect(particle["text"] is String)
            let status = try #require(particle["status"] as? String)
            #expect(["stopped", "truncated", "dead"].contains(status), "\(status)")
            if status == "stopped", weight > 0, let particleText = particle["text"] as? String {
                try Self.expectPerson(try JSONSerialization.jsonObject(with: Data(particleText.utf8)), particleText)
            }
        }
        #expect(abs(total - 1) < 1e-9)
        // The chosen text is one of the particles'.
        #expect(particles.contains { $0["text"] as? String == text })
    }

    @Test("a constraint no token satisfies from the start: one error line under lcd, awrs and smc",
          .enabled(if: DefaultModel.modelTestsEnabled), arguments: ["lcd", "awrs", "smc"])
    func unsatisfiableFromTheStart(method: String) throws {
        // `(?!)` never matches: not even the empty string, so no first byte and no stop.
        let outcome = try Self.run(["--regex", "(?!)", "--constrain", method, "--max-tokens", "4", "--chat", "hi"])
        #expect(outcome.status != 0)
        #expect(outcome.standardOutput.isEmpty, "\(outcome.standardOutput)")
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("allows no token"), "\(outcome.standardError)")
    }

    /// Truncation acts before the constraint under AWRS and SMC (documented on
    /// `AWRSStrategy`): with `--top-k 1` and a constraint that forbids the most likely token,
    /// AWRS reports a dead end and every SMC particle dies (a typed error naming how far they
    /// got), while LCD, which masks first, keeps the most likely allowed token.
    @Test("--top-k 1 with a constraint: AWRS dead end, every SMC particle dies, LCD masks first",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func truncationBeforeTheConstraint() throws {
        let base = ["--regex", "[0-9]{4}", "--top-k", "1", "--max-tokens", "4", "--chat", "Tell me a story about a cat."]
        let awrs = try Self.run(base + ["--constrain", "awrs"])
        #expect(awrs.status != 0)
        #expect(awrs.standardOutput.isEmpty)
        #expect(awrs.standardError.contains("allows no token after 0 generated tokens"), "\(awrs.standardError)")
        #expect(awrs.standardError.contains("act before the constraint"), "\(awrs.standardError)")

        let smc = try Self.run(base + ["--constrain", "smc", "--particles", "3"])
        #expect(smc.status != 0)
        #expect(smc.standardOutput.isEmpty)
        let lines = smc.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: every particle reached a dead end"), "\(smc.standardError)")

        let lcd = try Self.run(base + ["--constrain", "lcd"])
        #expect(lcd.status == 0, "\(lcd.standardError)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(lcd.standardOutput.utf8)) as? [String: Any])
        let text = try #require(object["text"] as? String)
        #expect(text.count == 4 && text.allSatisfy(\.isNumber), "\(text)")
    }

    @Test("bad particle counts and thresholds: one error line before the model loads", arguments: [
        (["--particles", "-2"], "particles"),
        (["--particles", "0"], "particles"),
        (["--ess-threshold", "-0.1"], "ESS"),
        (["--ess-threshold", "1.01"], "ESS"),
        (["--ess-threshold", "nan"], "ESS"),
    ])
    func badSMCArguments(arguments: [String], mentions: String) throws {
        let outcome = try CommandRunner.run(["generate", "--model", "/nonexistent/model.gguf", "--regex", "a",
                                             "--constrain", "smc"] + arguments + ["hi"])
        #expect(outcome.status != 0)
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(outcome.standardError)")
        #expect(outcome.standardError.contains(mentions), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }
}
