import Foundation

/// Compares the answer extracted from a finished candidate with a task's reference answer:
/// 1 when they agree, 0 otherwise (also 0 when no answer is found).
///
/// - ``Mode/exact``: equal after normalization (trimmed, lowercased, runs of whitespace as one
///   space, trailing `.` dropped);
/// - ``Mode/contains``: the normalized reference occurs in the normalized answer;
/// - ``Mode/numeric``: both parse as numbers that agree within 1e-9 (relative).
public struct ReferenceVerifier: Verifier {
    /// How the answer and the reference are compared.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Equal after normalization.
        case exact
        /// The reference occurs in the answer.
        case contains
        /// Equal as numbers.
        case numeric
    }

    /// The reference answer.
    public let reference: String
    /// The comparison.
    public let mode: Mode
    /// How the answer is found in the text.
    public let extraction: AnswerExtraction

    /// A verifier against `reference`.
    ///
    /// - Throws: ``SearchError/invalidPattern(_:reason:)`` for a bad extraction pattern.
    public init(reference: String, mode: Mode = .exact, extraction: AnswerExtraction = .wholeText) throws {
        try extraction.validate()
        self.reference = reference
        self.mode = mode
        self.extraction = extraction
    }

    /// "exact", "contains" or "numeric".
    public var name: String { mode.rawValue }

    /// 1 or 0 per candidate.
    public func scores(_ candidates: [VerifierCandidate]) -> [Double] {
        candidates.map { matches($0.text) ? 1 : 0 }
    }

    /// Whether the answer in `text` agrees with the reference.
    public func matches(_ text: String) -> Bool {
        guard let answer = extraction.extract(from: text) else { return false }
        switch mode {
        case .exact: return ReferenceVerifier.normalized(answer) == ReferenceVerifier.normalized(reference)
        case .contains:
            let wanted = ReferenceVerifier.normalized(reference)
            return !wanted.isEmpty && ReferenceVerifier.normalized(answer).contains(wanted)
        case .numeric:
            guard let a = ReferenceVerifier.number(answer), let b = ReferenceVerifier.number(reference) else { return false }
            return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
        }
    }

    /// Lowercased, trimmed, whitespace runs collapsed, one trailing `.` dropped.
    public static func normalized(_ text: String) -> String {
        var words = text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        if words.hasSuffix(".") { words.removeLast() }
        return words
    }

    /// The value of `text` as a number: the last number in it (commas between digits ignored).
    static func number(_ text: String) -> Double? {
        AnswerExtraction.lastNumber(in: text).flatMap(Double.init)
    }
}
