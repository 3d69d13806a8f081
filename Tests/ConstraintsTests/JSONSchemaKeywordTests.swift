import Constraints
import Foundation
import Testing

/// Keywords compiled exactly or by a sound subset (issue 13, item 4): each schema here was
/// `unsupported` (or rejected a valid instance) before. `accepted` lists valid instances the
/// grammar must take; `rejected` lists invalid ones it must refuse.
@Suite struct JSONSchemaKeywordTests {
    typealias Case = JSONSchemaCompilerTests.Case

    static let cases: [Case] = [
        // oneOf with overlapping branches: each branch minus the others.
        Case(schema: #"{"type":"object","oneOf":[{"required":["a"]},{"required":["b"]}]}"#,
             accepted: [#"{"a":1}"#, #"{"b":1,"c":2}"#], rejected: [#"{"a":1,"b":2}"#, "{}"]),
        Case(schema: #"{"oneOf":[{"type":"integer"},{"minimum":0}]}"#,
             accepted: ["-3", "\"x\"", "null"], rejected: ["1", "0", "7"]),
        Case(schema: #"{"oneOf":[{"properties":{"kind":{"enum":["a","b"]}},"required":["kind"]},{"properties":{"kind":{"const":"a"},"n":{"type":"integer"}},"required":["kind","n"]}],"type":"object"}"#,
             accepted: [#"{"kind":"b"}"#, #"{"kind":"b","n":1}"#], rejected: [#"{"kind":"a","n":1}"#]),
        // Dependencies: (trigger absent) ∪ (trigger and its dependents present).
        Case(schema: #"{"type":"object","dependentRequired":{"a":["b"]}}"#,
             accepted: ["{}", #"{"b":1}"#, #"{"a":1,"b":2}"#, #"{"b":2,"a":1}"#], rejected: [#"{"a":1}"#, #"{"a":1,"c":2}"#]),
        Case(schema: #"{"type":"object","properties":{"a":{},"b":{"type":"integer"}},"dependencies":{"a":["b"],"b":{"properties":{"c":{"type":"string"}}}}}"#,
             accepted: ["{}", #"{"a":1,"b":2}"#, #"{"b":2,"c":"x"}"#], rejected: [#"{"a":1}"#, #"{"b":2,"c":3}"#]),
        Case(schema: #"{"dependentSchemas":{"a":{"properties":{"b":{"type":"string"}}}}}"#,
             accepted: [#"{"a":1,"b":"x"}"#, #"{"b":2}"#, "3"], rejected: [#"{"a":1,"b":2}"#]),
        // if/then/else: (if ∩ then) ∪ (¬if ∩ else).
        Case(schema: #"{"properties":{"kind":{"enum":["a","b"]}},"if":{"properties":{"kind":{"const":"a"}},"required":["kind"]},"then":{"required":["x"]},"else":{"required":["y"]}}"#,
             accepted: [#"{"kind":"a","x":1}"#, #"{"kind":"b","y":1}"#, #"{"y":1}"#],
             rejected: [#"{"kind":"a","y":1}"#, #"{"kind":"b","x":1}"#, #"{"x":1}"#]),
        Case(schema: #"{"type":"object","if":{"properties":{"t":{"const":"n"}}},"then":{"properties":{"v":{"type":"number"}}},"else":{"properties":{"v":{"type":"string"}}}}"#,
             accepted: [#"{"t":"n","v":1}"#, #"{"v":2}"#, #"{"t":"s","v":"x"}"#], rejected: [#"{"t":"n","v":"x"}"#, #"{"t":"s","v":1}"#]),
        // not: the negation of each keyword.
        Case(schema: #"{"not":{"minimum":3}}"#, accepted: ["2", "2.5", "-1"], rejected: ["3", "4", "3.5", "\"x\""]),
        Case(schema: #"{"type":"string","not":{"enum":["a","b"]}}"#, accepted: ["\"c\"", "\"ab\"", "\"\""], rejected: ["\"a\"", "\"b\""]),
        Case(schema: #"{"type":"object","not":{"required":["a","b"]}}"#, accepted: ["{}", #"{"a":1}"#], rejected: [#"{"a":1,"b":2}"#]),
        // min/maxProperties as counts.
        Case(schema: #"{"type":"object","maxProperties":2}"#, accepted: ["{}", #"{"a":1,"b":2}"#], rejected: [#"{"a":1,"b":2,"c":3}"#]),
        Case(schema: #"{"type":"object","properties":{"a":{}},"minProperties":2}"#, accepted: [#"{"a":1,"b":2}"#, #"{"c":1,"b":2}"#], rejected: [#"{"a":1}"#, "{}"]),
        // uniqueItems: a finite item set exactly; other items at most one.
        Case(schema: #"{"type":"array","items":{"enum":["x","y","z"]},"uniqueItems":true}"#,
             accepted: ["[]", #"["x","z"]"#, #"["z","x","y"]"#], rejected: [#"["x","x"]"#, #"["y","z","y"]"#]),
        Case(schema: #"{"type":"array","items":{"type":"boolean"},"uniqueItems":true,"minItems":1}"#,
             accepted: ["[true]", "[false,true]"], rejected: ["[]", "[true,true]"]),
        Case(schema: #"{"type":"array","items":{"type":"string"},"uniqueItems":true}"#, accepted: ["[]", #"["a"]"#], rejected: [#"["a","a"]"#]),
        // maxLength beside a pattern.
        Case(schema: #"{"type":"string","pattern":"[0-9]","maxLength":3}"#, accepted: ["\"a1\"", "\"1\""], rejected: ["\"abcd1\"", "\"abc\"", "\"1234\""]),
        Case(schema: #"{"type":"string","pattern":"^[a-z]+","maxLength":4}"#, accepted: ["\"ab1\"", "\"abcd\""], rejected: ["\"abcde\"", "\"1a\""]),
        Case(schema: #"{"type":"string","pattern":"^[a-z]+@[a-z]+$","maxLength":9,"minLength":5}"#,
             accepted: ["\"ab@cd\"", "\"abc@defg\""], rejected: ["\"abcde@fghij\"", "\"a@b\""]),
        // Bounds that are not integers.
        Case(schema: #"{"type":"number","minimum":0.5,"exclusiveMaximum":2.25}"#,
             accepted: ["0.5", "0.75", "1", "2.2", "2.249", "0.50"], rejected: ["0.49", "2.25", "2.3", "-1", "0"]),
        Case(schema: #"{"type":"number","maximum":-1.5}"#, accepted: ["-1.5", "-2", "-1.51", "-100.25"], rejected: ["-1.49", "0", "-1", "1.5"]),
        Case(schema: #"{"type":"number","exclusiveMinimum":0.1,"maximum":0.1000001}"#, accepted: ["0.1000001", "0.10000005"], rejected: ["0.1", "0.10000011", "0"]),
        // Objects above the any-order limit: required members in any order, optional ones in
        // `properties` order.
        Case(schema: #"{"type":"object","properties":{"p1":{},"p2":{},"p3":{},"p4":{},"p5":{},"p6":{},"p7":{},"p8":{},"p9":{},"p10":{}},"required":["p9","p3"]}"#,
             accepted: [#"{"p9":1,"p3":2,"p1":0,"p10":4}"#, #"{"p1":0,"p3":1,"p9":2}"#, #"{"p3":1,"x":0,"p9":2}"#],
             rejected: [#"{"p9":1}"#, #"{"p9":1,"p3":2,"p9":3}"#]),
    ]

    @Test(arguments: cases)
    func acceptsExactlyTheInstances(_ c: Case) throws {
        let constraint = try JSONSchemaGrammar.compile(JSONSchema(parsing: c.schema), options: .init(whitespace: .compact)).constraint()
        for text in c.accepted { #expect(try constraint.accepts(text), "should accept \(text)") }
        for text in c.rejected { #expect(try !constraint.accepts(text), "should reject \(text)") }
    }

    /// Many small objects share one budget of object states, so the grammar stays bounded in
    /// size however many there are (detekt-style configuration schemas took seconds before).
    @Test func manyAnyOrderObjectsStayBounded() throws {
        var properties: [String] = []
        for i in 0..<300 {
            let members = (0..<8).map { #""m\#($0)_\#(i)":{"type":"boolean"}"# }.joined(separator: ",")
            properties.append(#""rule\#(i)":{"type":"object","properties":{\#(members)}}"#)
        }
        let schema = #"{"type":"object","properties":{\#(properties.joined(separator: ","))}}"#
        let grammar = try JSONSchemaGrammar.compile(JSONSchema(parsing: schema))
        let rules = grammar.gbnf.split(separator: "\n").count
        #expect(rules < 50_000, "\(rules) rules")
        let constraint = try grammar.constraint()
        #expect(try constraint.accepts(#"{"rule0":{"m7_0":true,"m0_0":false},"rule299":{"m0_299":false,"m7_299":true}}"#))
    }
}
