extension SearchError: CustomStringConvertible {
    /// A sentence a user understands.
    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let requirement):
            return "invalid \(name) \(value): it must be \(requirement)"
        case .verifierFailed(let verifier, let reason):
            return "verifier \(verifier) failed: \(reason)"
        case .invalidPattern(let pattern, let reason):
            return "invalid regular expression \(pattern): \(reason)"
        case .invalidSchema(let reason):
            return "invalid JSON schema: \(reason)"
        case .tokenOutOfJudgeVocabulary(let token, let size):
            return "candidate token \(token) is outside the judge model's vocabulary 0..<\(size)"
        }
    }
}
