import Foundation

/// How to find the answer inside a candidate's text before comparing it with a reference or
/// voting over answers.
public enum AnswerExtraction: Sendable, Hashable {
    /// The whole text, trimmed.
    case wholeText
    /// The last number in the text (`-1,234.5` → `-1234.5`; commas between digits dropped).
    case lastNumber
    /// The text after the last occurrence of `marker` (for example `"Answer:"`) up to the end
    /// of that line, trimmed; `nil` when the marker does not occur.
    case afterMarker(String)
    /// Capture group `group` (0 = the whole match) of the first match of `pattern`.
    case regex(pattern: String, group: Int)

    /// Checks a regular expression (its syntax and that the group exists).
    ///
    /// - Throws: ``SearchError/invalidPattern(_:reason:)``.
    public func validate() throws(SearchError) {
        guard case .regex(let pattern, let group) = self else { return }
        let expression: NSRegularExpression
        do { expression = try NSRegularExpression(pattern: pattern) } catch {
            throw .invalidPattern(pattern, reason: "does not compile")
        }
        guard group >= 0 && group <= expression.numberOfCaptureGroups else {
            throw .invalidPattern(pattern, reason: "has \(expression.numberOfCaptureGroups) groups, not group \(group)")
        }
    }

    /// The answer in `text`, or `nil` when there is none. An invalid pattern finds nothing
    /// (``validate()`` reports it).
    public func extract(from text: String) -> String? {
        switch self {
        case .wholeText:
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        case .lastNumber:
            return AnswerExtraction.lastNumber(in: text)
        case .afterMarker(let marker):
            guard let range = text.range(of: marker, options: .backwards) else { return nil }
            let rest = text[range.upperBound...]
            let line = rest.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return line.trimmingCharacters(in: .whitespaces)
        case .regex(let pattern, let group):
            guard let expression = try? NSRegularExpression(pattern: pattern) else { return nil }
            let whole = NSRange(text.startIndex..., in: text)
            guard let match = expression.firstMatch(in: text, range: whole), group <= match.numberOfRanges - 1,
                  let range = Range(match.range(at: group), in: text) else { return nil }
            return String(text[range])
        }
    }

    /// The last number in `text` as written, without thousands separators and a trailing dot.
    static func lastNumber(in text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var numbers: [String] = []
        var i = 0
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
        while i < scalars.count {
            guard isDigit(scalars[i]) else { i += 1; continue }
            var start = i
            if start > 0 && scalars[start - 1] == "-" { start -= 1 }
            var number = String(scalars[start..<i].map(Character.init))
            while i < scalars.count {
                let s = scalars[i]
                if isDigit(s) {
                    number.unicodeScalars.append(s)
                } else if (s == "," || s == ".") && i + 1 < scalars.count && isDigit(scalars[i + 1]) {
                    if s == "." { number.unicodeScalars.append(s) }
                } else { break }
                i += 1
            }
            numbers.append(number)
        }
        return numbers.last
    }
}
