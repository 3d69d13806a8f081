import Constraints
import Foundation
import Testing

/// The ready-to-use grammars in `Grammars/` accept what they promise and reject the rest.
struct GrammarLibraryTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Grammars")

    static let cases: [(file: String, accepted: [String], rejected: [String])] = [
        ("json.gbnf",
         [#"{"name": "Ada", "tags": ["x", "y"], "n": -1.5e+3, "ok": true, "none": null}"#, "[]", "\"\\u00e9\\n\"",
          " 0 ", "{\n  \"a\": {\"b\": [1, [2, {}]]}\n}", #""😀 日本""#],
         [#"{"a": 01}"#, #"{'a': 1}"#, #"[1, 2,]"#, #"{"a" 1}"#, "\"tab\there\"", #""\x""#, "tru", "1.", "-"]),
        ("json-string-array.gbnf",
         [#"["red", "green", "blue"]"#, #"["a"]"#, "[\"\\\"quoted\\\"\", \"é\"]"],
         [#"[]"#, #"["a", 1]"#, #"["a",]"#, #"'a'"#]),
        ("arithmetic.gbnf",
         ["1 + 2 * 3", "(1.5 - -2) / 4 ^ 2", "((7))", "2^3^2"],
         ["1 +", "(1 + 2", "1 ++ 2", "a + 1", "1 + 2)"]),
        ("csv-line.gbnf",
         ["a,b,c\n", "\"quoted, comma\",\"say \"\"hi\"\"\",3\r\n", ",,\n", "single\n"],
         ["a,b,c", "\"open,b\n", "a,\"b\"c\n", "a\nb\n"]),
        ("sql-select.gbnf",
         ["SELECT * FROM users;", "SELECT id, users.name FROM users WHERE age >= 18 AND name LIKE 'A%' ORDER BY name DESC LIMIT 10;",
          "SELECT a FROM t WHERE b IS NOT NULL OR c = 'it''s';"],
         ["SELECT FROM users;", "select * from users;", "SELECT * FROM users", "SELECT * FROM users WHERE;",
          "SELECT * FROM users LIMIT x;"]),
        ("iso-date.gbnf",
         ["2024-02-29", "1999-12-31T23:59", "2024-01-01T00:00:60.123Z", "2024-06-15T12:30:00+02:00"],
         ["2024-13-01", "2024-00-10", "2024-01-32", "24-01-01", "2024-01-01T24:00", "2024-01-01T12:60", "2024-1-1"]),
        ("key-value-config.gbnf",
         ["# settings\n[server]\nhost = example.org\nport=8080\n\n; note\nname = \"a \\\"b\\\"\"\n", "empty =\n", ""],
         ["host example.org\n", "[server\n", "key = value", "1key = x\n", "name = \"open\n"]),
    ]

    @Test(arguments: cases.indices)
    func acceptsAndRejects(index: Int) throws {
        let (file, accepted, rejected) = Self.cases[index]
        let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
        let constraint = try GrammarConstraint(gbnf: text)
        for sample in accepted { #expect(try constraint.accepts(sample), "\(file) should accept \(sample.debugDescription)") }
        for sample in rejected { #expect(try !constraint.accepts(sample), "\(file) should reject \(sample.debugDescription)") }
    }

    @Test func everyGrammarInTheFolderIsTested() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".gbnf") }
        #expect(Set(files) == Set(Self.cases.map(\.file)))
    }
}
