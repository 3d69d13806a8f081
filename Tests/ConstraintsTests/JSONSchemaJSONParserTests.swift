import Constraints
import Foundation
import Testing

/// The strict JSON parser and printer the JSON Schema compiler and its tests rely on.
@Suite struct JSONSchemaJSONParserTests {
    @Test func keepsMemberOrderAndNumberText() throws {
        let value = try JSONValue(parsing: #" {"z": 1.50, "a": [true, null, -0, 2e10], "m": {"k": "v"}} "#)
        #expect(value.members?.map(\.key) == ["z", "a", "m"])
        #expect(value["z"] == .number("1.50"))
        #expect(value.compactText == #"{"z":1.50,"a":[true,null,-0,2e10],"m":{"k":"v"}}"#)
    }

    @Test func prettyPrintsWithTwoSpaceIndent() throws {
        let value = try JSONValue(parsing: #"{"a":[1,{"b":[]}],"c":{}}"#)
        #expect(value.prettyText(indent: 2) == "{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    }\n  ],\n  \"c\": {}\n}")
    }

    @Test func decodesAndReEscapesStrings() throws {
        let value = try JSONValue(parsing: #""a\"b\\c\/d\n\u00e9\ud83d\ude00\u001f""#)
        #expect(value == .string("a\"b\\c/d\né😀\u{1F}"))
        #expect(value.compactText == #""a\"b\\c/d\né😀\u001f""#)
    }

    @Test(arguments: [
        ("", "unexpectedEnd", 1, 1),
        ("[1,]", "unexpectedCharacter", 1, 4),
        ("{\"a\" 1}", "unexpectedCharacter", 1, 6),
        ("01", "invalidNumber", 1, 1),
        ("1.", "invalidNumber", 1, 1),
        ("-", "invalidNumber", 1, 1),
        ("\"a\nb\"", "controlCharacterInString", 1, 3),
        ("\"\\x\"", "invalidEscape", 1, 2),
        ("\"\\u12\"", "invalidEscape", 1, 6),
        ("[1]\n x", "trailingContent", 2, 2),
        ("tru", "unexpectedEnd", 1, 4),
        ("{\"a\":1,}", "unexpectedCharacter", 1, 8),
    ])
    func rejectsInvalidJSONWithPosition(text: String, kind: String, line: Int, column: Int) {
        do {
            _ = try JSONValue(parsing: text)
            Issue.record("accepted invalid JSON \(text.debugDescription)")
        } catch {
            #expect(Mirror(reflecting: error).children.first?.label == kind, "\(error)")
            let position: JSONPosition? = switch error {
            case .unexpectedEnd(_, let at), .unexpectedCharacter(_, _, let at), .invalidEscape(_, let at),
                 .controlCharacterInString(_, let at), .invalidUTF8(let at), .invalidNumber(_, let at),
                 .trailingContent(let at), .nestingTooDeep(_, let at): at
            }
            #expect(position?.line == line && position?.column == column, "\(error)")
        }
    }

    @Test func rejectsInvalidUTF8AndDeepNesting() {
        #expect(throws: JSONError.self) { try JSONValue(parsing: [0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONError.self) { try JSONValue(parsing: [0x22, 0xED, 0xA0, 0x80, 0x22]) }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONError.self) { try JSONValue(parsing: deep) }
    }
}
