extension DecodingStep {
    /// The step of a single-branch strategy that chose `token`: tells `chain` (so its stateful
    /// stages see the token), then evaluates `token` in `session` unless it ends generation.
    ///
    /// The statistics count one step and one branch, plus one model call and one evaluated
    /// token when `token` was appended. Shared by ``SamplingStrategy``, the single-trial path
    /// of ``CautiousStrategy`` and the constrained strategies.
    ///
    /// - Throws: the errors of `session`'s `append`.
    package static func single(_ token: Int, chain: inout LogitProcessorChain, session: inout any ModelSession,
                               context: StepContext) throws -> DecodingStep {
        chain.accept(token)
        var statistics = StepStatistics(steps: 1, branchesTried: 1)
        let evaluate = !context.endsGeneration(token, emitted: 1)
        if evaluate {
            try session.append([token])
            statistics.modelCalls = 1
            statistics.tokensEvaluated = 1
        }
        return DecodingStep(tokens: [token], lastTokenEvaluated: evaluate, statistics: statistics)
    }

    /// The step of a single-branch strategy that samples: loads `session`'s logits into the
    /// reused row `scratch` (no allocation in steady state), applies `chain`, draws a token with
    /// `sampler`, then finishes as ``single(_:chain:session:context:)``. One model call at most.
    /// With ``StepContext/recordsLogprobs`` the step reports the token's `log p` under the
    /// distribution it was drawn from (the sampler's, after the chain).
    ///
    /// Shared by ``SamplingStrategy`` and the locally constrained strategy.
    ///
    /// - Throws: the errors of ``Logits/loading(_:into:vocabularySize:)``, the chain, the
    ///   sampler and `session`'s `append`.
    package static func sampled<Sampler: TokenSampler>(by sampler: inout Sampler, chain: inout LogitProcessorChain,
                                                       scratch: inout Logits?, session: inout any ModelSession,
                                                       context: StepContext) throws -> DecodingStep {
        var logits = try Logits.loading(session.logits, into: &scratch, vocabularySize: context.model.vocabularySize)
        defer { scratch = logits }
        try chain.apply(to: &logits, history: session.tokens)
        let token = try sampler.sample(logits)
        var step = try DecodingStep.single(token, chain: &chain, session: &session, context: context)
        if context.recordsLogprobs {
            step.logprobs = [TokenLogprobs(sampled: sampler.logProbability(of: token, in: logits))]
        }
        return step
    }
}
