/// Errors of ``Generator`` configuration that a caller can get wrong.
public enum GenerationError: Error, Equatable, Sendable {
    /// `maxTokens` must be positive.
    case invalidMaxTokens(Int)
    /// The stop string at `index` is empty (it would match before any text).
    case emptyStopString(index: Int)
    /// Stop strings are checked on bytes, which needs a ``TokenDecoder``.
    case stopStringsNeedDecoder
}

extension GenerationError: CustomStringConvertible {
    /// A sentence a user understands.
    public var description: String {
        switch self {
        case .invalidMaxTokens(let value): return "maxTokens must be positive, got \(value)"
        case .emptyStopString(let index): return "stop string \(index) is empty"
        case .stopStringsNeedDecoder: return "stop strings need a token decoder to turn tokens into bytes"
        }
    }
}
