import Decoding

/// Sequential Monte Carlo with AWRS proposals (Lipkin et al., COLM 2025; Loula et al.,
/// "Syntactic and Semantic Control of Large Language Models via Sequential Monte Carlo",
/// ICLR 2025): `N` particles, each with its own constraint state and generator and a session
/// (shared with the particles that hold the same tokens, until they diverge), extended one AWRS
/// token at a time with their weights multiplied, resampled when
/// the effective sample size drops below `essThreshold · N`. The weighted particles approximate
/// the global distribution `p(y | c(y)) ∝ p(y) · c(y)` (times a potential `φ(y)` if given),
/// which locally constrained decoding does not, and `log Ẑ` estimates `log Σ_y p(y) · c(y)`.
///
/// What `y` ranges over: sequences that end with a stop token where the constraint may stop,
/// and sequences cut by the token budget whose bytes can still be extended (the budget ends
/// them as it ends any generation). `p` is the distribution after the caller's `chain`; as for
/// ``AWRSStrategy``, truncating processors act before the constraint. A greedy chain
/// (temperature 0) is an error: SMC samples, it has no greedy mode.
///
/// As a ``DecodingStrategy`` one ``step(_:context:)`` runs the whole SMC and emits the tokens of
/// one particle drawn from the posterior (``lastResult`` keeps the whole outcome); ``start``
/// gives the step-by-step streaming view and ``run`` the outcome directly.
///
/// ```swift
/// let smc = try SMCStrategy(constraint: grammar, table: table, stopTokens: [eos],
///                           options: SMCOptions(particles: 20, seed: 1))
/// let result = try smc.run(model: model, prompt: prompt, maxTokens: 64)
/// print(result.posterior.first?.tokens ?? [], result.logMarginalLikelihood)
/// ```
public struct SMCStrategy<C: Constraint>: DecodingStrategy {
    /// The validated options.
    public let options: SMCOptions
    /// Processors applied to each particle's logits before its AWRS draw.
    public var chain: LogitProcessorChain
    /// The critic that twists the weights, if any.
    public var potential: (any SequencePotential)?
    /// The outcome of the last ``step(_:context:)``.
    public private(set) var lastResult: SMCResult?
    /// The constraint bound to the vocabulary, shared by every particle of every run.
    public let tokenConstraint: TokenConstraint<C>
    private var generator: Xoshiro256StarStar
    private var runs: UInt64 = 0

    /// An SMC strategy for `constraint` over the vocabulary `table`.
    ///
    /// - Parameters:
    ///   - stopTokens: tokens allowed where the constraint may stop (EOS, end-of-turn).
    ///   - chain: processors applied before each draw.
    ///   - options: particles, ESS threshold, resampling scheme, AWRS options, seed.
    ///   - potential: an optional critic.
    /// - Throws: ``ConstrainedSamplingError`` for bad options, a greedy `chain`
    ///   (``ConstrainedSamplingError/greedySMC``) or a stop token outside `table`.
    public init(constraint: C, table: TokenBytes, stopTokens: Set<Int>, chain: LogitProcessorChain = LogitProcessorChain(),
                options: SMCOptions = SMCOptions(), potential: (any SequencePotential)? = nil) throws(ConstrainedSamplingError) {
        try options.validate()
        guard !chain.selectsArgmax else { throw .greedySMC }
        self.options = options
        self.chain = chain
        self.potential = potential
        tokenConstraint = try TokenConstraint.forSampling(constraint, table: table, stopTokens: stopTokens)
        generator = Xoshiro256StarStar(seed: options.seed, stream: UInt64.max - 1)
    }

    /// The constraint.
    public var constraint: C { tokenConstraint.constraint }

    /// Starts a run after `session` (which is forked, never changed), generating at most
    /// `maxTokens` tokens per particle.
    ///
    /// - Throws: ``ConstrainedSamplingError/invalidMaxTokens(_:)``,
    ///   ``ConstrainedSamplingError/vocabularyMismatch(table:model:)``,
    ///   ``ConstrainedSamplingError/unsatisfiableConstraint`` when no token is allowed at the
    ///   start and the constraint may not stop, ``ConstrainedSamplingError/greedySMC`` for a
    ///   greedy chain, the constraint's and the session's errors.
    public func start(model: any LanguageModel, session: any ModelSession, maxTokens: Int) throws -> SMCRun<C> {
        guard maxTokens > 0 else { throw ConstrainedSamplingError.invalidMaxTokens(maxTokens) }
        guard !chain.selectsArgmax else { throw ConstrainedSamplingError.greedySMC }
        guard tokenConstraint.vocabularySize == model.vocabularySize else {
            throw ConstrainedSamplingError.vocabularyMismatch(table: tokenConstraint.vocabularySize, model: model.vocabularySize)
        }
        guard try tokenConstraint.anyAllowed(after: tokenConstraint.constraint.start) else {
            throw ConstrainedSamplingError.unsatisfiableConstraint
        }
        var options = self.options
        options.seed = runs == 0 ? options.seed : options.seed ^ SplitMix64.mix(runs)
        return try SMCRun(model: model, session: session, tokenConstraint: tokenConstraint, chain: chain, options: options,
                          potential: potential, maxTokens: maxTokens)
    }

    /// Runs SMC after `prompt` to the end.
    ///
    /// - Throws: the model's errors for the prompt and those of ``start(model:session:maxTokens:)``.
    public func run(model: any LanguageModel, prompt: [Int], maxTokens: Int) throws -> SMCResult {
        try run(model: model, session: model.makeSession(prompt: prompt), maxTokens: maxTokens)
    }

    /// Runs SMC after `session` (forked, not changed) to the end.
    public func run(model: any LanguageModel, session: any ModelSession, maxTokens: Int) throws -> SMCResult {
        var run = try start(model: model, session: session, maxTokens: maxTokens)
        while try run.next() != nil {}
        return run.result()
    }

    /// Runs SMC to the end and emits the tokens of one particle drawn from the posterior;
    /// `session` becomes that particle's session.
    ///
    /// - Throws: ``ConstrainedSamplingError/allParticlesDied(generated:)`` with the longest
    ///   sequence generated, and the errors of ``start(model:session:maxTokens:)``.
    public mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        var run = try start(model: context.model, session: session, maxTokens: context.remainingTokens)
        runs += 1
        while try run.next() != nil {}
        let result = run.result()
        lastResult = result
        guard !result.allParticlesDied else {
            throw ConstrainedSamplingError.allParticlesDied(generated: result.longestGenerated)
        }
        let u = generator.nextUnitInterval()
        var cumulative = 0.0
        var chosen = result.particles.lastIndex { $0.weight > 0 } ?? 0
        for (i, particle) in result.particles.enumerated() where particle.weight > 0 {
            cumulative += particle.weight
            if u < cumulative {
                chosen = i
                break
            }
        }
        let particle = result.particles[chosen]
        session = run.session(of: chosen)
        var statistics = StepStatistics(steps: 1, modelCalls: result.statistics.modelCalls,
                                        tokensEvaluated: result.statistics.tokensEvaluated,
                                        branchesTried: options.particles, branchingSteps: 1)
        statistics.discardedTokens = max(0, result.statistics.tokensEvaluated - particle.tokens.count)
        // The final token (a stop token or the last of the budget) is never evaluated.
        return DecodingStep(tokens: particle.tokens, lastTokenEvaluated: false, statistics: statistics)
    }

    /// Forgets the last result.
    public mutating func reset() {
        lastResult = nil
    }
}
