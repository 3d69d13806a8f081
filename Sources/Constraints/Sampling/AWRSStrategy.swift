import Decoding

/// Adaptive weighted rejection sampling as a ``DecodingStrategy``: each step draws one token
/// from the processed logits with ``AWRSSampler``, checking only the few tokens the draw
/// visits against the constraint (instead of the full mask of ``LocallyConstrainedStrategy``),
/// and records the token's importance weight.
///
/// Alone (one particle) the emitted tokens follow the locally constrained distribution, like
/// LCD; the weights in ``statistics`` and ``lastDraw`` are what ``SMCStrategy`` multiplies to
/// correct it towards the global `p(y | c(y))`.
///
/// The target of a draw is the distribution after the caller's `chain`, times the constraint:
/// truncating processors (top-k, top-p, min-p) act *before* the constraint, so a token they cut
/// is never proposed, and a step where they cut every allowed token is a dead end (LCD, which
/// masks first, would instead truncate among the allowed tokens). For the model's distribution
/// restricted by the constraint, give a chain without truncation
/// (``SamplingParameters/constrainedDefaults``).
///
/// A greedy chain (temperature 0, ``LogitProcessorChain/selectsArgmax``) makes each step take
/// the most likely *allowed* token (``AWRSSampler/greedy(from:pruned:accept:)``), as LCD does
/// at temperature 0, instead of the row's argmax.
///
/// ```swift
/// var strategy = try AWRSStrategy(constraint: regex, table: table, stopTokens: [eos], seed: 7)
/// let result = try Generator(model: model, strategy: strategy, maxTokens: 64).run(prompt: prompt)
/// ```
///
/// The generated text starts after the session's tokens at the first draw after creation or
/// ``reset()`` (the prompt), unless ``begin(at:)`` says otherwise: the strategy's
/// ``ConstraintMatcher`` follows the session (``ConstraintMatcher/sync(to:)``).
public struct AWRSStrategy<C: Constraint>: DecodingStrategy {
    /// The constraint.
    public var constraint: C { matcher.tokenConstraint.constraint }
    /// Processors applied before the draw (temperature, penalties, truncation).
    public var chain: LogitProcessorChain
    /// The sequence's random generator.
    public var generator: Xoshiro256StarStar
    /// The last draw of ``step(_:context:)`` or ``draw(_:vocabularySize:)``.
    public private(set) var lastDraw: AWRSDraw?
    /// Constraint work and weights summed since the last ``reset()``.
    public private(set) var statistics = AWRSStatistics()
    /// The constraint state along the session's generated tokens.
    public private(set) var matcher: ConstraintMatcher<C>
    private var sampler: AWRSSampler
    private var scratch: Logits?

    /// A strategy constraining to `constraint` with tokens' bytes from `table`.
    ///
    /// - Parameters:
    ///   - stopTokens: tokens allowed where the constraint may stop (EOS, end-of-turn).
    ///   - chain: processors applied to the logits before the draw.
    ///   - options: the AWRS estimator and its parameters.
    ///   - seed: seed of the sequence's ``Xoshiro256StarStar``.
    /// - Throws: ``ConstrainedSamplingError`` for bad options or a stop token outside `table`.
    public init(constraint: C, table: TokenBytes, stopTokens: Set<Int>,
                chain: LogitProcessorChain = LogitProcessorChain(), options: AWRSOptions = AWRSOptions(),
                seed: UInt64 = 0) throws(ConstrainedSamplingError) {
        try self.init(tokenConstraint: TokenConstraint.forSampling(constraint, table: table, stopTokens: stopTokens),
                      chain: chain, options: options, seed: seed)
    }

    /// A strategy over a shared ``TokenConstraint`` (its trie and mask cache).
    ///
    /// - Throws: ``ConstrainedSamplingError`` for bad options.
    public init(tokenConstraint: TokenConstraint<C>, chain: LogitProcessorChain = LogitProcessorChain(),
                options: AWRSOptions = AWRSOptions(), seed: UInt64 = 0) throws(ConstrainedSamplingError) {
        self.chain = chain
        self.generator = Xoshiro256StarStar(seed: seed)
        sampler = try AWRSSampler(options: options)
        matcher = ConstraintMatcher(tokenConstraint)
    }

    /// Says where the generated text starts in the sessions to come (see
    /// ``ConstraintMatcher/begin(at:)``).
    public mutating func begin(at generationStart: Int) {
        matcher.begin(at: generationStart)
    }

    /// The options.
    public var options: AWRSOptions { sampler.options }

    /// Draws the next token after `session` with its weight, without changing the session; a
    /// dead end is a value (``AWRSDraw/isDeadEnd``), not an error. The matcher takes the drawn
    /// token (and rolls it back at the next draw if the session did not).
    ///
    /// - Throws: ``ConstraintError/rejectedToken(_:position:)`` if the session's generated
    ///   tokens leave the constraint, the chain's and the constraint's errors,
    ///   ``SamplingError/vocabularyMismatch(expected:actual:)``.
    public mutating func draw(_ session: any ModelSession, vocabularySize: Int) throws -> AWRSDraw {
        try matcher.sync(to: session.tokens)
        let finished = matcher.isFinished
        var logits = try Logits.loading(session.logits, into: &scratch, vocabularySize: vocabularySize)
        defer { scratch = logits }
        let greedy = chain.selectsArgmax
        if greedy {
            try chain.applyRanking(to: &logits, history: session.tokens)
        } else {
            try chain.apply(to: &logits, history: session.tokens)
        }
        let pruned = sampler.options.prune ? matcher.tokenConstraint.neverAllowed : []
        var checks = DrawChecks(tokenConstraint: matcher.tokenConstraint, state: matcher.state,
                                maskAfter: sampler.options.maskAfterChecks)
        let draw: AWRSDraw
        if finished {
            draw = AWRSDraw(token: nil, logWeight: -.infinity, checks: 0, rejections: 0)
        } else if greedy {
            draw = try sampler.greedy(from: logits, pruned: pruned) { try checks.accept($0) }
        } else {
            draw = try sampler.draw(from: logits, pruned: pruned, using: &generator, acceptor: &checks)
        }
        if let token = draw.token, let accepted = checks.accepted, accepted.token == token {
            matcher.commit(token, accepted.check)
        }
        if checks.usedMask { statistics.fullMasks += 1 }
        if checks.cachedMask { statistics.cachedMasks += 1 }
        lastDraw = draw
        statistics.record(draw)
        return draw
    }

    /// Draws one token and evaluates it unless it ends generation.
    ///
    /// - Throws: ``ConstraintError/deadEnd(position:)`` when every token is rejected (a step
    ///   must emit a token; ``draw(_:vocabularySize:)`` reports this as a value), and the errors
    ///   of ``draw(_:vocabularySize:)`` and the model.
    public mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        let draw = try self.draw(session, vocabularySize: context.model.vocabularySize)
        guard let token = draw.token else {
            throw ConstraintError.deadEnd(position: matcher.position)
        }
        return try .single(token, chain: &chain, session: &session, context: context)
    }

    /// Forgets the constraint state, the statistics and the chain's state (the generator runs on).
    public mutating func reset() {
        chain.reset()
        matcher.reset()
        statistics = AWRSStatistics()
        lastDraw = nil
    }
}
