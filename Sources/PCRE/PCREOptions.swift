import CPCRE2

/// Options for compiling a pattern (a subset of PCRE2's compile options).
public struct PCRECompileOptions: OptionSet, Sendable, Hashable {
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
    /// `.` also matches newlines (`PCRE2_DOTALL`).
    public static let dotAll = PCRECompileOptions(rawValue: PCRE2_DOTALL)
    /// Whitespace and `#` comments in the pattern are ignored (`PCRE2_EXTENDED`).
    public static let extended = PCRECompileOptions(rawValue: PCRE2_EXTENDED)
    /// With `.utf`: invalid UTF-8 in a subject never matches instead of being an error
    /// (`PCRE2_MATCH_INVALID_UTF`).
    public static let matchInvalidUTF = PCRECompileOptions(rawValue: PCRE2_MATCH_INVALID_UTF)
}

/// Options for one match call (a subset of PCRE2's match options).
public struct PCREMatchOptions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    /// Creates options from PCRE2's `PCRE2_*` match-option bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The match must start at the start offset (`PCRE2_ANCHORED`).
    public static let anchored = PCREMatchOptions(rawValue: PCRE2_ANCHORED)
    /// The match must end at the end of the subject (`PCRE2_ENDANCHORED`).
    public static let endAnchored = PCREMatchOptions(rawValue: PCRE2_ENDANCHORED)
    /// An empty string is not a match (`PCRE2_NOTEMPTY`).
    public static let notEmpty = PCREMatchOptions(rawValue: PCRE2_NOTEMPTY)
    /// An empty string at the start offset is not a match (`PCRE2_NOTEMPTY_ATSTART`).
    public static let notEmptyAtStart = PCREMatchOptions(rawValue: PCRE2_NOTEMPTY_ATSTART)
    /// Report a partial match, in preference to a full one, when the end of the subject is
    /// reached while a match could still continue (`PCRE2_PARTIAL_HARD`): the subject is a prefix
    /// of text still being written.
    public static let partialHard = PCREMatchOptions(rawValue: PCRE2_PARTIAL_HARD)
    /// Report a partial match only when no full match exists (`PCRE2_PARTIAL_SOFT`).
    public static let partialSoft = PCREMatchOptions(rawValue: PCRE2_PARTIAL_SOFT)
}

/// Per-call resource limits for a match (PCRE2 match context). `nil` keeps PCRE2's default.
///
/// A limit reached is reported as ``PCREMatchResult/limitExceeded(_:)``, so a pathological
/// pattern such as `(a+)+$` finishes quickly instead of hanging. The JIT honours `match` only;
/// the interpreter honours all three.
public struct PCREMatchLimits: Sendable, Hashable {
    /// Maximum calls of PCRE2's internal match function (PCRE2 default 10 000 000).
    public var match: UInt32?
    /// Maximum backtracking depth (PCRE2 default: as `match`).
    public var depth: UInt32?
    /// Maximum backtracking heap in KiB (PCRE2 default 20 000 000).
    public var heapKiB: UInt32?

    /// Limits as given; `nil` keeps PCRE2's default for that limit.
    public init(match: UInt32? = nil, depth: UInt32? = nil, heapKiB: UInt32? = nil) {
        self.match = match
        self.depth = depth
        self.heapKiB = heapKiB
    }

    /// Whether any limit differs from PCRE2's defaults (a match context is then needed).
    var isDefault: Bool { match == nil && depth == nil && heapKiB == nil }
}
