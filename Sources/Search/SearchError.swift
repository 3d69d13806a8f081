/// Errors of the search strategies and verifiers for input a caller can get wrong.
public enum SearchError: Error, Equatable, Sendable {
    /// A parameter outside its valid range: its name, the value given and what it must be.
    case invalidParameter(name: String, value: String, requirement: String)
    /// A verifier could not score the candidates (a command failed, timed out or printed
    /// something that is not one score per candidate); the reason is a sentence.
    case verifierFailed(verifier: String, reason: String)
    /// A regular expression that does not compile.
    case invalidPattern(String, reason: String)
    /// A JSON schema that does not compile into a recognizer.
    case invalidSchema(reason: String)
    /// A candidate token outside the vocabulary of the model asked to score it.
    case tokenOutOfJudgeVocabulary(Int, vocabularySize: Int)
}

extension SearchError {
    /// Throws ``invalidParameter(name:value:requirement:)`` unless `value > 0`.
    static func requirePositive(_ value: Int, _ name: String) throws(SearchError) {
        guard value > 0 else { throw .invalidParameter(name: name, value: "\(value)", requirement: "at least 1") }
    }

    /// Throws ``invalidParameter(name:value:requirement:)`` unless `value >= 0`.
    static func requireNonNegative(_ value: Int, _ name: String) throws(SearchError) {
        guard value >= 0 else { throw .invalidParameter(name: name, value: "\(value)", requirement: "0 or more") }
    }

    /// Throws ``invalidParameter(name:value:requirement:)`` unless `value` is finite and `>= 0`.
    static func requireFiniteNonNegative(_ value: Double, _ name: String) throws(SearchError) {
        guard value >= 0 && value.isFinite else {
            throw .invalidParameter(name: name, value: "\(value)", requirement: "finite and ≥ 0")
        }
    }
}
