import Testing
import Constraints
import Evaluation
import Search

/// Task lines with a `reference` object beside a `schema` (JSON extraction): parsed into
/// fields and checked field by field; misuse is a line error.
@Suite struct SearchTaskFieldsTests {
    @Test("a reference object needs a schema, no match or extract, and at least one field", arguments: [
        (#"{"prompt":"x","reference":{"a":1}}"#, "a \"reference\" object (one value per field) needs a \"schema\""),
        (#"{"prompt":"x","schema":{"type":"object"},"reference":{"a":1},"match":"exact"}"#,
         "\"match\" and \"extract\" apply to a text reference"),
        (#"{"prompt":"x","schema":{"type":"object"},"reference":{}}"#, "the \"reference\" object has no field"),
        (#"{"prompt":"x","schema":{"type":"object"},"reference":[1]}"#, "\"reference\" must be a string, a number or an object"),
    ])
    func refusesMisuse(line: String, mentions: String) {
        #expect {
            try SearchTask(line: line, number: 4)
        } throws: { error in
            guard let error = error as? TaskFileError else { return false }
            return error.line == 4 && error.reason.contains(mentions)
        }
    }

    @Test func parsesFieldsAndScoresByField() throws {
        let task = try SearchTask(line: #"{"id":"t","prompt":"x","schema":{"type":"object"},"reference":{"b":"Two","a":1}}"#,
                                  number: 1)
        #expect(task.reference == nil && !task.isValidityTask)
        #expect(task.fields == [JSONMember(key: "a", value: .number("1")), JSONMember(key: "b", value: .string("Two"))])
        let checker = try #require(try task.checker())
        #expect(checker.name == "fields")
        #expect(try checker.score(.init(text: #"{"a":1,"b":"two"}"#)) == 1)
        #expect(try checker.score(.init(text: #"{"a":2,"b":"two"}"#)) == 0.5)
        #expect(try task.constraint()?.kindName == "json-schema")
    }
}
