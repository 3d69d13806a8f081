import CPCRE2

/// Options for compiling a pattern (a subset of PCRE2's compile options).
public struct PCRECompileOptions: OptionSet, Sendable, Hashable {
    /// PCRE2 option bits.
    public let rawValue: UInt32
    /// Creates options from PCRE2's `PCRE2_*` compile-option bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Pattern and subject are UTF-8 (`PCRE2_UTF`).
    public static let utf = PCRECompileOptions(rawValue: PCRE2_UTF)
    /// `\d`, `\s`, `\w` and POSIX classes use Unicode properties (`PCRE2_UCP`).
    public static let ucp = PCRECompileOptions(rawValue: PCRE2_UCP)
    /// The match must start at the start offset (`PCRE2_ANCHORED`).
    public static let anchored = PCRECompileOptions(rawValue: PCRE2_ANCHORED)
    /// The match must end at the end of the subject (`PCRE2_ENDANCHORED`).
    public static let endAnchored = PCRECompileOptions(rawValue: PCRE2_ENDANCHORED)
    /// Case-insensitive matching (`PCRE2_CASELESS`).
    public static let caseless = PCRECompileOptions(rawValue: PCRE2_CASELESS)
    /// `^` and `$` match at line breaks (`PCRE2_MULTILINE`).
    public static let multiline = PCRECompileOptions(rawValue: PCRE2_MULTILINE)
    /// `$` matches only at the very end of the subject, not also before a final newline
    /// (`PCRE2_DOLLAR_ENDONLY`; ignored under `.multiline`).
    public static let dollarEndOnly = PCRECompileOptions(rawValue: PCRE2_DOLLAR_ENDONLY)
    /// `.` also matches newlines (`PCRE2_DOTALL`).
    public static let dotAll = PCRECompileOptions(rawValue: PCRE2_DOTALL)
    /// Whitespace and `#` comments in the pattern are ignored (`PCRE2_EXTENDED`).
    public static let extended = PCRECompileOptions(rawValue: PCRE2_EXTENDED)
    /// With `.utf`: invalid UTF-8 in a subject never matches instead of being an error
    /// (`PCRE2_MATCH_INVALID_UTF`).
    public static let matchInvalidUTF = PCRECompileOptions(rawValue: PCRE2_MATCH_INVALID_UTF)
}
