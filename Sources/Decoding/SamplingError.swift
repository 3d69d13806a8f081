/// Errors of the sampler core (``Logits``, ``LogitProcessor``s, ``TokenSampler``s) for input a
/// caller can get wrong: bad parameters, malformed logits, impossible masks.
public enum SamplingError: Error, Equatable, Sendable {
    /// A parameter outside its valid range; the message names the parameter and the value.
    case invalidParameter(String)
    /// A logit that is NaN or `+infinity` at `index` (`-infinity` is allowed: it masks a token).
    case nonFiniteLogit(index: Int, value: Float)
    /// Every token is masked (all logits are `-infinity`), so there is nothing to sample.
    case allTokensMasked
    /// An empty logits row.
    case emptyLogits
    /// A token id outside `0..<vocabularySize`.
    case tokenOutOfRange(Int, vocabularySize: Int)
    /// Logits whose length differs from the model's vocabulary.
    case vocabularyMismatch(expected: Int, actual: Int)
    /// A sampler-order string named a stage that does not exist.
    case unknownStage(String, valid: [String])
    /// A sampler-order string named the same stage twice.
    case duplicateStage(String)
    /// A sampler-order string named no stage (every setting would be ignored).
    case emptyOrder
}

extension SamplingError: CustomStringConvertible {
    /// A sentence a user understands.
    public var description: String {
        switch self {
        case .invalidParameter(let message): return "invalid parameter: \(message)"
        case .nonFiniteLogit(let index, let value): return "logit \(index) is \(value); logits must be finite or -inf"
        case .allTokensMasked: return "every token is masked; nothing can be sampled"
        case .emptyLogits: return "the logits row is empty"
        case .tokenOutOfRange(let token, let size): return "token \(token) is outside the vocabulary 0..<\(size)"
        case .vocabularyMismatch(let expected, let actual):
            return "logits have \(actual) entries but the vocabulary has \(expected)"
        case .unknownStage(let name, let valid):
            return "unknown sampler '\(name)'; valid names: \(valid.joined(separator: ", "))"
        case .duplicateStage(let name): return "sampler '\(name)' appears twice in the order"
        case .emptyOrder:
            return "the sampler order names no stage; every sampling setting would be ignored (valid names: "
                + SamplerStage.validNames.joined(separator: ", ") + ")"
        }
    }
}
