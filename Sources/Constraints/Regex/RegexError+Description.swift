extension RegexError: CustomStringConvertible {
    /// One sentence with the pattern, the byte offset PCRE2 stopped at and its message.
    public var description: String {
        switch self {
        case .invalidPattern(let pattern, let message, let offset):
            return "invalid pattern '\(pattern)' at offset \(offset): \(message)"
        }
    }
}
