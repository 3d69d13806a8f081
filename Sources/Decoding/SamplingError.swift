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
