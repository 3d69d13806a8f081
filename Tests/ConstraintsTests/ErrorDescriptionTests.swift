import Constraints
import Testing

/// The constraint errors describe themselves in sentences (what a CLI prints with `"\(error)"`),
/// not as Swift enum cases.
@Suite struct ErrorDescriptionTests {
    static let at = GrammarLocation(line: 2, column: 5)

    static let sentences: [(error: any Error & Sendable, sentence: String)] = [
        (ConstraintError.deadEnd(position: 3), "the constraint allows no token after 3 generated tokens and cannot stop there"),
        (ConstraintError.tokenOutOfRange(9, vocabularySize: 8), "token 9 is outside the vocabulary 0..<8"),
        (GrammarError.missingRoot, "no rule named 'root'"),
        (GrammarError.undefinedRule("value", at: at), "2:5: rule 'value' is never defined"),
        (RegexError.invalidPattern(pattern: "(a", message: "missing closing parenthesis", offset: 2),
         "invalid pattern '(a' at offset 2: missing closing parenthesis"),
        (JSONSchemaError.invalidKeyword(keyword: "type", path: "#/type", reason: "unknown type \"color\""),
         "invalid 'type' at #/type: unknown type \"color\""),
        (JSONSchemaError.unsatisfiable(path: "#", reason: "minItems 3 > maxItems 1"),
         "no instance can satisfy the schema at #: minItems 3 > maxItems 1"),
        (JSONError.trailingContent(at: JSONPosition(offset: 3, line: 1, column: 4)), "1:4 (byte 3): text after the JSON value"),
    ]

    @Test(arguments: sentences.indices)
    func errorIsASentence(_ index: Int) {
        let (error, sentence) = Self.sentences[index]
        #expect("\(error)" == sentence)
    }

    @Test("a schema the compiler rejects reads as a sentence, not a Swift value")
    func compiledSchemaError() throws {
        let schema = try JSONSchema(parsing: #"{"type": "color"}"#)
        let error = try #require(throws: JSONSchemaError.self) { try JSONSchemaGrammar.compile(schema) }
        #expect("\(error)".hasPrefix("invalid 'type' at #"), "\(error)")
        let notJSON = try #require(throws: JSONSchemaError.self) { try JSONSchema(parsing: "{") }
        #expect("\(notJSON)".hasPrefix("not JSON: 1:2 (byte 1): the text ends where "), "\(notJSON)")
    }
}
