/// The outcome of one `PCRERegex.match` call. Ranges are byte offsets into the subject.
public enum PCREMatchResult: Sendable, Equatable {
    /// A complete match of the pattern.
    case full(Range<Int>)
    /// With `.partialHard`/`.partialSoft`: the subject ended inside a possible match, which starts
    /// at `lowerBound` and runs to the end of the subject. PCRE2 reports a partial match only
    /// after it has inspected at least one character, so an empty subject (or an offset at the
    /// end) gives `.noMatch` for a pattern that cannot match the empty string: callers that feed
    /// text incrementally treat the empty prefix as viable themselves.
    case partial(Range<Int>)
    /// No match, and (with partial options) no match could start in the subject.
    case noMatch
    /// The match stopped at a resource limit before deciding.
    case limitExceeded(PCRELimit)
}
