import Testing
import Evaluation
import Search

/// ``PatternVerifier``: validity against a regular expression or a JSON Schema, of whole texts
/// and of prefixes.
@Suite struct PatternVerifierTests {
    @Test func regexVerifierMatchesWholeTextAndPrefixes() throws {
        let verifier = try PatternVerifier(regex: "[0-9]+ (apples|pears)")
        let scores = try verifier.scores([
            VerifierCandidate(text: "12 apples"), VerifierCandidate(text: " 3 pears\n"), VerifierCandidate(text: "12 apple"),
            VerifierCandidate(text: "12 app", isFinished: false), VerifierCandidate(text: "x", isFinished: false),
        ])
        #expect(scores == [1, 1, 0, 1, 0])
        #expect(throws: SearchError.self) { try PatternVerifier(regex: "([") }
    }

    @Test func schemaVerifierChecksValidity() throws {
        let schema = #"{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}"#
        let verifier = try PatternVerifier(jsonSchema: schema)
        let scores = try verifier.scores([
            VerifierCandidate(text: #"{"name":"Ada","age":36}"#), VerifierCandidate(text: #"{"name":"Ada"}"#),
            VerifierCandidate(text: #"{"name":"Ada","age":"36"}"#), VerifierCandidate(text: #"{"name":"A"#, isFinished: false),
            VerifierCandidate(text: "not json"),
        ])
        #expect(scores == [1, 0, 0, 1, 0])
        #expect(throws: SearchError.self) { try PatternVerifier(jsonSchema: "{not json") }
    }
}
