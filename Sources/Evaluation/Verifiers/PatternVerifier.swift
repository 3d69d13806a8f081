import Constraints
import Foundation
import Search

/// 1 when the candidate's whole text (trimmed of surrounding whitespace) is accepted by a
/// ``Constraint`` — a regular expression (``RegexConstraint``, PCRE2) or a JSON Schema compiled
/// to a grammar (``JSONSchemaGrammar``) — else 0. A partial candidate scores 1 while its text can
/// still be completed to an accepted one.
public struct PatternVerifier: Verifier {
    /// "regex" or "schema".
    public let name: String
    private let check: @Sendable (_ text: String, _ complete: Bool) throws -> Bool

    /// A verifier for a PCRE2 pattern matched against the whole text.
    ///
    /// - Throws: ``SearchError/invalidPattern(_:reason:)``.
    public init(regex pattern: String) throws {
        let constraint: RegexConstraint
        do { constraint = try RegexConstraint(pattern: pattern) } catch {
            throw SearchError.invalidPattern(pattern, reason: "\(error)")
        }
        name = "regex"
        check = { text, complete in try PatternVerifier.run(constraint, text, complete) }
    }

    /// A verifier for validity against a JSON Schema (JSON text of the schema).
    ///
    /// - Throws: ``SearchError/invalidSchema(reason:)``.
    public init(jsonSchema text: String) throws {
        let constraint: GrammarConstraint
        do {
            let schema = try JSONSchema(parsing: text)
            constraint = try JSONSchemaGrammar.compile(schema).constraint()
        } catch {
            throw SearchError.invalidSchema(reason: "\(error)")
        }
        name = "schema"
        check = { text, complete in try PatternVerifier.run(constraint, text, complete) }
    }

    /// Partial scores are meaningful (prefix acceptance).
    public var scoresPartial: Bool { true }

    /// 1 or 0 per candidate.
    ///
    /// - Throws: ``SearchError/verifierFailed(verifier:reason:)`` when the recognizer hits its
    ///   work limit.
    public func scores(_ candidates: [VerifierCandidate]) throws -> [Double] {
        try candidates.map { candidate in
            do {
                return try check(candidate.text, candidate.isFinished) ? 1 : 0
            } catch {
                throw SearchError.verifierFailed(verifier: name, reason: "\(error)")
            }
        }
    }

    private static func run<C: Constraint>(_ constraint: C, _ text: String, _ complete: Bool) throws -> Bool {
        let trimmed = complete ? text.trimmingCharacters(in: .whitespacesAndNewlines) : String(text.drop(while: \.isWhitespace))
        guard let state = try constraint.advance(constraint.start, by: Array(trimmed.utf8)) else { return false }
        return !complete || constraint.canStop(state)
    }
}
