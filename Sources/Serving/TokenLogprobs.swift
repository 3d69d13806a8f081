import Decoding

extension ServedToken {
    /// The log-probability of `token` and the `top` most likely tokens under the raw
    /// distribution `row` (log-softmax of the model's logits, before any processor), clamped to
    /// -9999 as OpenAI and vLLM write an impossible token (JSON has no infinity).
    ///
    /// - Complexity: O(vocabulary) for the log-softmax, O(vocabulary · log top) for the top.
    /// - Throws: ``SamplingError`` for a row with NaN or `+infinity`.
    static func logprobs(of token: Int, in row: [Float], top: Int) throws -> (Double, [TokenLogprob]) {
        let logits = try Logits(row)
        let logProbabilities = logits.logProbabilities
        let alternatives = top > 0
            ? logits.topTokens(top).map { TokenLogprob(id: $0, logprob: clamped(logProbabilities[$0])) }
            : []
        return (clamped(logProbabilities[token]), alternatives)
    }

    private static func clamped(_ logprob: Float) -> Double {
        max(Double(logprob), -9999)
    }
}
