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
