import Constraints
import Foundation
import Search

/// Scores a JSON-extraction answer field by field: the fraction of the reference object's
/// fields that the output's JSON object gives the same value — a string equal after
/// ``Search/ReferenceVerifier/normalized(_:)`` (trimmed, lowercased, one trailing `.`
/// dropped), a number equal as a number (1e-9 relative), anything else equal as JSON. An output
/// that is not a JSON object satisfying the task's schema scores 0, so a partial answer earns
/// only the fields it got right inside a valid object.
///
/// ```swift
/// let verifier = try FieldReferenceVerifier(
///     fields: [JSONMember(key: "name", value: .string("Ada")), JSONMember(key: "year", value: .number("1815"))],
///     jsonSchema: #"{"type":"object","properties":{"name":{"type":"string"},"year":{"type":"integer"}}}"#)
/// try verifier.score(VerifierCandidate(text: #"{"name": "ada", "year": 1816}"#))   // 0.5
/// ```
public struct FieldReferenceVerifier: Verifier {
    /// The reference value of each field, in the task's order.
    public let fields: [JSONMember]
    private let schema: PatternVerifier

    /// A verifier of `fields` inside outputs valid against the JSON Schema `jsonSchema` (its text).
    ///
    /// - Throws: ``Search/SearchError/invalidSchema(reason:)`` for a schema that does not
    ///   compile, and ``Search/SearchError/invalidParameter(name:value:requirement:)`` for no
    ///   field or a field named twice.
    public init(fields: [JSONMember], jsonSchema: String) throws {
        guard !fields.isEmpty else {
            throw SearchError.invalidParameter(name: "reference", value: "{}", requirement: "an object with at least one field")
        }
        var seen: Set<String> = []
        for field in fields where !seen.insert(field.key).inserted {
            throw SearchError.invalidParameter(name: "reference", value: field.key, requirement: "each field named once")
        }
        self.fields = fields
        schema = try PatternVerifier(jsonSchema: jsonSchema)
    }

    /// "fields".
    public var name: String { "fields" }

    /// The fraction of fields right per candidate, 0 for an output the schema rejects.
    ///
    /// - Throws: ``Search/SearchError/verifierFailed(verifier:reason:)`` when the schema's
    ///   recognizer hits its work limit.
    public func scores(_ candidates: [VerifierCandidate]) throws -> [Double] {
        let valid = try schema.scores(candidates.map { VerifierCandidate(text: $0.text, isFinished: true) })
        return zip(candidates, valid).map { candidate, valid in
            guard valid == 1, let output = try? JSONValue(parsing: candidate.text.trimmingCharacters(in: .whitespacesAndNewlines)),
                  case .object = output else { return 0 }
            let right = fields.filter { field in output[field.key].map { Self.agree($0, field.value) } ?? false }
            return Double(right.count) / Double(fields.count)
        }
    }

    /// Whether an output's value agrees with the reference value.
    static func agree(_ output: JSONValue, _ reference: JSONValue) -> Bool {
        switch (output, reference) {
        case (.string(let a), .string(let b)):
            return ReferenceVerifier.normalized(a) == ReferenceVerifier.normalized(b)
        case (.number(let a), .number(let b)):
            guard let x = Double(a), let y = Double(b) else { return a == b }
            return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
        default:
            return output == reference
        }
    }
}
