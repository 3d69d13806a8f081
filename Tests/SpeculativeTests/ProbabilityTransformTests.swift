import Decoding
import Speculative
import Testing

/// The sparse path of `ProbabilityTransform` (what verification and model drafters use) gives
/// exactly the probabilities of its dense path, for chains that truncate and chains that do not,
/// with the scratch row reused between calls.
struct ProbabilityTransformTests {
    static let parameterSets: [SamplingParameters] = [
        SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0),
        SamplingParameters(temperature: 0.8),
        SamplingParameters(temperature: 0.7, topK: 3, topP: 1, minP: 0),
        SamplingParameters(temperature: 1.3, topK: 0, topP: 0.9, minP: 0, repeatPenalty: 1.3),
        .greedy,
    ]

    @Test("sparse distribution equals the dense probabilities", arguments: parameterSets.indices)
    func sparseEqualsDense(index: Int) throws {
        let transform = try ProbabilityTransform(parameters: Self.parameterSets[index])
        let oracle = Oracle(vocabularySize: 40, salt: 3, sharpness: 3)
        var scratch: Logits?
        for context in [[0], [1, 2, 3], [5, 5, 5, 7], [9, 1, 2, 9, 1]] {
            let logits = oracle.logits(context).map { Float($0) }
            let dense = try transform.probabilities(logits: logits, context: context)
            let sparse = try transform.distribution(logits: logits, context: context, scratch: &scratch)
            #expect(sparse.tokens == dense.indices.filter { dense[$0] > 0 })
            for (token, p) in zip(sparse.tokens, sparse.probabilities) {
                #expect(abs(p - dense[token]) <= 1e-15 * max(1, dense[token]))
            }
        }
    }
}
