import Foundation
import GGUF
import Testing

/// `decode compare --tasks constrained`: the built-in constrained set by name, its defaults, and
/// on the default model a quarter of it under lcd, awrs and smc:2 with every output checked here
/// by Foundation's JSON parser and NSRegularExpression (not the constraints that generated them)
/// and every task score recomputed by hand.
@Suite("decode compare --tasks constrained")
struct ConstrainedTaskSetCommandTests {
    @Test("the name resolves to the built-in set, which parses before the model loads")
    func resolvesBeforeTheModel() throws {
        let outcome = try CommandRunner.run(["compare", "--tasks", "constrained", "--model", "/nonexistent/model.gguf"])
        #expect(outcome.status != 0)
        #expect(!outcome.standardError.contains("task file"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("/nonexistent/model.gguf"), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }

    /// Tasks 1, 5, 9 and 13 of Tasks/constrained.jsonl (`--shard 1/4`).
    static let shardTasks: Set<String> = ["json-person", "json-meeting", "regex-sum", "regex-phone"]

    @Test("a shard under lcd, awrs and smc:2: valid outputs, scores as recomputed here",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func constrainedShard() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let outcome = try CommandRunner.run(["compare", "--tasks", "constrained", "--strategies", "lcd,awrs,smc:2",
                                             "--shard", "1/4", "--format", "jsonl", "--quiet", "--threads", "2",
                                             "--model", model.path])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let records = try outcome.standardOutput.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        #expect(records.count == Self.shardTasks.count * 3, "\(outcome.standardOutput)")
        for record in records {
            let task = try #require(record["task"] as? String)
            let text = try #require(record["text"] as? String)
            #expect(Self.shardTasks.contains(task))
            #expect(record["failure"] == nil || record["failure"] is NSNull, "\(record)")
            let score = try #require(record["taskScore"] as? Double, "\(record)")
            let tokens = try #require(record["tokens"] as? [Int])
            #expect(abs(score - (try Self.expectedScore(task: task, text: text, truncated: tokens.count == 40))) < 1e-9,
                    "\(task): \(text)")
        }
    }

    /// The score of `text` on `task`, checked without the package's constraints: the output
    /// must be valid (the constrained strategies never leave the language) unless it used up the
    /// 40 tokens, when it may be an unfinished object worth 0; then the fraction of fields right
    /// (strings compared lowercased, whitespace runs as one space, one trailing `.` dropped), or
    /// the reference match.
    static func expectedScore(task: String, text: String, truncated: Bool) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        func normalized(_ value: String) -> String {
            var words = value.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            if words.hasSuffix(".") { words.removeLast() }
            return words
        }
        func fullMatch(_ pattern: String) -> Bool {
            let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$")
            return regex?.firstMatch(in: trimmed, range: NSRange(trimmed.startIndex..., in: trimmed)) != nil
        }
        switch task {
        case "regex-sum":
            #expect(fullMatch("[0-9]{1,3}"), "\(text)")
            return Int(trimmed) == 13 ? 1 : 0
        case "regex-phone":
            #expect(fullMatch(#"\([0-9]{3}\) [0-9]{3}-[0-9]{4}"#), "\(text)")
            return 1
        default:
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                #expect(truncated, "not a JSON object: \(text)")
                return 0
            }
            func string(_ key: String) throws -> String {
                let value = try #require(object[key] as? String, "\(key) in \(text)")
                #expect((1...40).contains(value.count), "\(key) in \(text)")
                return normalized(value)
            }
            func integer(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
                let value = try #require(object[key] as? Int, "\(key) in \(text)")
                #expect(range.contains(value), "\(key) in \(text)")
                return value
            }
            if task == "json-person" {
                #expect(Set(object.keys) == ["name", "year"], "\(text)")
                let right = [try string("name") == "ada lovelace", try integer("year", 1000...2100) == 1815]
                return Double(right.filter { $0 }.count) / 2
            }
            #expect(task == "json-meeting")
            #expect(Set(object.keys) == ["day", "hour", "room"], "\(text)")
            let day = try #require(object["day"] as? String)
            #expect(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].contains(day), "\(text)")
            let right = [day == "Monday", try integer("hour", 0...23) == 10, try integer("room", 0...999) == 4]
            return Double(right.filter { $0 }.count) / 3
        }
    }
}
