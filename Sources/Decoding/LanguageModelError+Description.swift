extension LanguageModelError: CustomStringConvertible {
    /// One sentence that says what the caller passed and what the model allows.
    public var description: String {
        switch self {
        case .emptyPrompt: return "a session cannot start from an empty prompt"
        case .contextFull(let limit, let requested):
            return "the sequence would need \(requested) positions; the context window holds \(limit)"
        case .tokenOutOfRange(let token, let size): return "token \(token) is outside the vocabulary 0..<\(size)"
        case .foreignSession: return "the session was made by a different model"
        case .batchMismatch(let sessions, let tokens): return "a batch of \(sessions) sessions got \(tokens) tokens"
        case .invalidRollback(let to, let length): return "cannot roll back to length \(to): the session holds 1...\(length)"
        case .invalidTree(let reason): return "invalid token tree: \(reason)"
        }
    }
}
