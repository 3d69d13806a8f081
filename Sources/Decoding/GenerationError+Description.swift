extension GenerationError: CustomStringConvertible {
    /// A sentence a user understands.
    public var description: String {
        switch self {
        case .invalidMaxTokens(let value): return "maxTokens must be positive, got \(value)"
        case .emptyStopString(let index): return "stop string \(index) is empty"
        case .stopStringsNeedDecoder: return "stop strings need a token decoder to turn tokens into bytes"
        case .invalidTopLogprobs(let value): return "the number of top log-probabilities must be 0 or more, got \(value)"
        }
    }
}
