import Foundation
import Testing
import Decoding

/// Logits whose softmax is `probabilities` (zeros become masked tokens), as llama.cpp's
/// `sampler_tester` builds them with `logf(p)`.
func logits(fromProbabilities probabilities: [Float]) throws -> Logits {
    try Logits(probabilities.map { $0 > 0 ? logf($0) : -.infinity })
}

/// Applies `processor` to `input` probabilities and returns the renormalized probabilities.
func processed(_ processor: some LogitProcessor, _ input: [Float], history: [Int] = []) throws -> [Float] {
    var processor = processor
    var row = try logits(fromProbabilities: input)
    try processor.apply(to: &row, history: history)
    return row.probabilities
}

/// Expects two probability vectors to agree entry by entry within `tolerance`.
func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (a, e) in zip(actual, expected) {
        #expect(abs(a - e) < tolerance, "got \(actual), expected \(expected)", sourceLocation: sourceLocation)
    }
}
