/// Errors of ``Generator`` configuration that a caller can get wrong.
public enum GenerationError: Error, Equatable, Sendable {
    /// `maxTokens` must be positive.
    case invalidMaxTokens(Int)
    /// The stop string at `index` is empty (it would match before any text).
    case emptyStopString(index: Int)
    /// Stop strings are checked on bytes, which needs a ``TokenDecoder``.
    case stopStringsNeedDecoder
    /// A negative number of most likely tokens to list per position.
    case invalidTopLogprobs(Int)
}
