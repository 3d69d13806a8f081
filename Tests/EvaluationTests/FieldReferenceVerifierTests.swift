import Foundation
import Testing
import Constraints
import Evaluation
import Search

/// JSON-extraction scoring: the fraction of reference fields right inside an output the schema
/// accepts; bad references and schemas are typed errors.
@Suite struct FieldReferenceVerifierTests {
    static let schema = #"{"type":"object","properties":{"name":{"type":"string"},"year":{"type":"integer"},"alive":{"type":"boolean"}},"required":["name","year"],"additionalProperties":false}"#
    static let fields = [JSONMember(key: "name", value: .string("Ada Lovelace")), JSONMember(key: "year", value: .number("1815")),
                         JSONMember(key: "alive", value: .bool(false))]

    @Test func badReferencesAndSchemasAreTypedErrors() {
        #expect(throws: SearchError.invalidParameter(name: "reference", value: "{}", requirement: "an object with at least one field")) {
            try FieldReferenceVerifier(fields: [], jsonSchema: Self.schema)
        }
        #expect(throws: SearchError.invalidParameter(name: "reference", value: "name", requirement: "each field named once")) {
            try FieldReferenceVerifier(fields: [Self.fields[0], Self.fields[0]], jsonSchema: Self.schema)
        }
        #expect(throws: SearchError.self) { try FieldReferenceVerifier(fields: Self.fields, jsonSchema: "{not json") }
    }

    @Test("each candidate scores the fraction of fields right, 0 outside the schema", arguments: [
        (#"{"name":"Ada Lovelace","year":1815,"alive":false}"#, 1.0),
        (#" {"name": "ada  lovelace.", "year": 1815, "alive": false}"# + "\n", 1.0),
        (#"{"name":"Ada","year":1815}"#, 1.0 / 3),
        (#"{"year":1815,"name":"Ada Lovelace","alive":true}"#, 2.0 / 3),
        (#"{"name":"Charles Babbage","year":1791,"alive":true}"#, 0.0),
        (#"{"name":"Ada Lovelace","year":"1815"}"#, 0.0),          // year is not an integer: the schema rejects it
        (#"{"name":"Ada Lovelace","year":1815,"extra":1}"#, 0.0),  // additional property
        (#"{"name":"Ada Lovelace","year":18"#, 0.0),               // unfinished
        ("Ada Lovelace, 1815", 0.0),
    ])
    func scoresFields(text: String, expected: Double) throws {
        let verifier = try FieldReferenceVerifier(fields: Self.fields, jsonSchema: Self.schema)
        let score = try verifier.score(VerifierCandidate(text: text))
        #expect(abs(score - expected) < 1e-12, "\(text)")
        #expect(verifier.name == "fields" && !verifier.scoresPartial)
    }
}
