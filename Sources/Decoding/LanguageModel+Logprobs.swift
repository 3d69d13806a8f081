extension LanguageModel {
    /// The model's raw log-probability of each of `tokens` after `prompt` (and the `top` most
    /// likely tokens at each position, most likely first): what a ``Generator`` with
    /// ``LogprobOptions`` records for single-token steps, for a whole continuation at once —
    /// for example one that a multi-token strategy (a search, speculative decoding, a CNTP
    /// segment) produced. One model call per token after the prompt's; O(vocabulary) per token.
    ///
    /// - Throws: the model's errors (an empty prompt, a full context, an id outside the
    ///   vocabulary) and ``SamplingError`` for logits that are not a valid row.
    public func logprobs(of tokens: [Int], after prompt: [Int], top: Int = 0) throws -> [TokenLogprobs] {
        let session = try makeSession(prompt: prompt)
        var result: [TokenLogprobs] = []
        result.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() {
            let row = try Logits(session.logits)
            try row.checkToken(token)
            let best = row.topTokens(max(top, 0)).map { TokenLogprob(token: $0, logprob: row.logProbability(of: $0)) }
            result.append(TokenLogprobs(model: row.logProbability(of: token), top: best))
            if index + 1 < tokens.count { try session.append([token]) }
        }
        return result
    }
}
