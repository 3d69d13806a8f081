import CPCRE2

/// Options for one match call (a subset of PCRE2's match options).
public struct PCREMatchOptions: OptionSet, Sendable, Hashable {
    /// PCRE2 option bits.
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
