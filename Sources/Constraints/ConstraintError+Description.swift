extension ConstraintError: CustomStringConvertible {
    /// One sentence that says what went wrong and where.
    public var description: String {
        switch self {
        case .stateLimitExceeded(let limit): return "the constraint needed more than \(limit) parser states for one byte"
        case .stackDepthExceeded(let limit): return "the grammar nests deeper than \(limit)"
        case .deadEnd(let position):
            return "the constraint allows no token after \(position) generated tokens and cannot stop there"
        case .rejectedToken(let token, let position): return "token \(token) at constrained position \(position) is not allowed"
        case .tokenOutOfRange(let token, let size): return "token \(token) is outside the vocabulary 0..<\(size)"
        case .vocabularyMismatch(let expected, let actual):
            return "a mask or logits row has \(actual) entries; the vocabulary has \(expected)"
        }
    }
}
