import Constraints
import Foundation
import Testing

/// Bad schemas get typed errors that say what and where; nothing is silently widened.
@Suite struct JSONSchemaErrorTests {
    static func compile(_ text: String, _ options: JSONSchemaGrammar.Options = .init()) throws -> JSONSchemaGrammar {
        try JSONSchemaGrammar.compile(JSONSchema(parsing: text), options: options)
    }

    @Test func invalidJSONCarriesItsPosition() {
        #expect(throws: JSONSchemaError.invalidJSON(.unexpectedCharacter(found: "':'", expected: "',' or '}'", at: JSONPosition(offset: 19, line: 2, column: 11)))) {
            try JSONSchema(parsing: "{\"type\":\n  \"object\": }")
        }
        #expect(throws: JSONSchemaError.self) { try JSONSchema(parsing: "[1, 2]") }
    }

    @Test(arguments: [
        (#"{"type":"array","contains":{"type":"integer"}}"#, "contains", "#/contains"),
        (#"{"type":"array","items":{"type":"string"},"uniqueItems":true,"minItems":2}"#, "uniqueItems", "#/uniqueItems"),
        (#"{"type":"number","multipleOf":0.5}"#, "multipleOf", "#/multipleOf"),
        (#"{"type":"object","properties":{"a":{"type":"string","pattern":"(?=x)"}}}"#, "pattern", "#/properties/a/pattern"),
        (#"{"type":"string","pattern":"(a)\\1"}"#, "pattern", "#/pattern"),
        (#"{"type":"string","format":"ipv6"}"#, "format", "#/format"),
        (#"{"oneOf":[{"type":"string"},{"type":"string","pattern":"^a"}]}"#, "oneOf", "#/oneOf"),
        (#"{"type":"object","unevaluatedProperties":false}"#, "unevaluatedProperties", "#/unevaluatedProperties"),
    ])
    func unsupportedKeywordsAreNamed(schema: String, keyword: String, path: String) throws {
        do {
            _ = try Self.compile(schema)
            Issue.record("compiled \(schema)")
        } catch let error as JSONSchemaError {
            guard case .unsupported(let k, let p, _) = error else { Issue.record("\(error)"); return }
            #expect(k == keyword)
            #expect(p == path)
        }
        // Lenient mode compiles the same schema, ignoring what it cannot enforce.
        _ = try Self.compile(schema, .init(lenient: true))
    }

    /// A negation with no expressible form can leave the grammar's sound subset empty: that
    /// is `unsupported` (the schema has instances), not `unsatisfiable`.
    @Test func emptyApproximationIsUnsupportedNotUnsatisfiable() throws {
        do {
            _ = try Self.compile(#"{"type":"object","not":{"propertyNames":false}}"#)
            Issue.record("compiled")
        } catch let error as JSONSchemaError {
            guard case .unsupported(let keyword, _, _) = error else { Issue.record("\(error)"); return }
            #expect(keyword == "not")
        }
    }

    @Test func annotationsAndUnknownKeywordsAreIgnored() throws {
        let grammar = try Self.compile(#"{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"x","title":"T","description":"d","examples":[1],"default":2,"$comment":"c","deprecated":true,"readOnly":true,"x-vendor":1,"vendorThing":{"a":1},"format":"int32","type":"integer"}"#)
        #expect(try grammar.constraint().accepts("12"))
    }

    @Test func remoteReferencesAreRejected() {
        #expect(throws: JSONSchemaError.remoteReference("https://example.com/s.json", path: "#/properties/a/$ref")) {
            try Self.compile(#"{"properties":{"a":{"$ref":"https://example.com/s.json"}}}"#)
        }
        #expect(throws: JSONSchemaError.unresolvedReference("#/$defs/missing", path: "#/$ref")) {
            try Self.compile(##"{"$ref":"#/$defs/missing"}"##)
        }
    }

    @Test(arguments: [
        ##"{"$ref":"#"}"##,
        ##"{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}"##,
        ##"{"$defs":{"a":{"anyOf":[{"$ref":"#/$defs/a"},{"type":"null"}]}},"$ref":"#/$defs/a"}"##,
        ##"{"$defs":{"a":{"allOf":[{"$ref":"#/$defs/a"}],"type":"object"}},"$ref":"#/$defs/a"}"##,
    ])
    func referenceCyclesWithoutProgressAreRejected(schema: String) {
        do {
            _ = try Self.compile(schema)
            Issue.record("compiled \(schema)")
        } catch {
            guard case .referenceCycle = error as? JSONSchemaError else { Issue.record("\(error)"); return }
        }
    }

    @Test func recursionWithoutABaseCaseIsUnsatisfiable() {
        let schema = ##"{"$defs":{"n":{"type":"object","properties":{"next":{"$ref":"#/$defs/n"}},"required":["next"]}},"$ref":"#/$defs/n"}"##
        #expect(throws: JSONSchemaError.self) { try Self.compile(schema) }
    }

    @Test func absurdRepetitionCountsAreCappedOrRejected() throws {
        // A huge upper bound is lowered to the limit: longer strings are rejected, never more accepted.
        let capped = try Self.compile(#"{"type":"string","maxLength":1000000000}"#, .init(whitespace: .compact, repetitionLimit: 16))
        let constraint = try capped.constraint()
        #expect(try constraint.accepts("\"" + String(repeating: "a", count: 16) + "\""))
        #expect(try !constraint.accepts("\"" + String(repeating: "a", count: 17) + "\""))
        // A huge lower bound cannot be lowered without accepting invalid instances.
        #expect(throws: JSONSchemaError.repetitionTooLarge(keyword: "minLength", path: "#/minLength", count: 1_000_000_000, limit: 1000)) {
            try Self.compile(#"{"type":"string","minLength":1000000000}"#)
        }
        #expect(throws: JSONSchemaError.self) { try Self.compile(#"{"type":"string","pattern":"^a{5000}$"}"#) }
        #expect(throws: JSONSchemaError.self) { try Self.compile(#"{"type":"array","minItems":99999999999999999999}"#) }
        // Quantifiers whose lengths overflow Int are an error, not a crash.
        #expect(throws: JSONSchemaError.self) {
            try Self.compile(#"{"type":"string","pattern":"^(?:a{99999999999}){99999999999}b{0,99999999999999999999}$","maxLength":3}"#)
        }
    }

    @Test(arguments: [
        #"{"type":"array","minItems":3,"maxItems":2}"#,
        #"{"enum":[]}"#,
        #"{"type":"integer","minimum":5,"maximum":4}"#,
        #"{"type":"integer","exclusiveMinimum":4,"exclusiveMaximum":5}"#,
        #"{"type":"string","minLength":4,"maxLength":3}"#,
        #"{"type":"object","properties":{"a":{}},"required":["b"],"additionalProperties":false}"#,
        #"{"type":"object","properties":{"a":false},"required":["a"]}"#,
        #"{"allOf":[{"type":"string"},{"type":"integer"}]}"#,
        "false",
        #"{"not":{}}"#,
        #"{"type":"string","enum":[1,2]}"#,
    ])
    func unsatisfiableSchemasAreRejected(schema: String) {
        do {
            _ = try Self.compile(schema)
            Issue.record("compiled \(schema)")
        } catch {
            guard case .unsatisfiable = error as? JSONSchemaError else { Issue.record("\(error)"); return }
        }
    }

    @Test(arguments: [
        #"{"type":"strin"}"#,
        #"{"minLength":"3"}"#,
        #"{"type":"string","pattern":"[a-"}"#,
        #"{"required":5,"type":"object"}"#,
        #"{"anyOf":[]}"#,
    ])
    func malformedKeywordsAreRejected(schema: String) {
        do {
            _ = try Self.compile(schema)
            Issue.record("compiled \(schema)")
        } catch {
            guard case .invalidKeyword = error as? JSONSchemaError else { Issue.record("\(error)"); return }
        }
    }
}
