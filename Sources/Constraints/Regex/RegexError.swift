/// Why a regular expression could not become a ``RegexConstraint``.
public enum RegexError: Error, Equatable, Sendable {
    /// PCRE2 rejected the pattern: its message and the byte offset in the pattern's UTF-8.
    case invalidPattern(pattern: String, message: String, offset: Int)
}
