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
/// var strategy = try AWRSStrategy(constraint: regex, table: table, stopTokens: [eos],
///                                 prefixLength: prompt.count, seed: 7)
/// let result = try Generator(model: model, strategy: strategy, maxTokens: 64).run(prompt: prompt)
/// ```
public struct AWRSStrategy<C: Constraint>: DecodingStrategy {
    /// The constraint.
    public var constraint: C { checker.constraint }
    /// Processors applied before the draw (temperature, penalties, truncation).
    public var chain: LogitProcessorChain
    /// The sequence's random generator.
    public var generator: Xoshiro256StarStar
    /// Number of leading history tokens (the prompt) outside the constraint.
    public var prefixLength: Int
    /// The last draw of ``step(_:context:)`` or ``draw(_:vocabularySize:)``.
    public private(set) var lastDraw: AWRSDraw?
    /// Constraint work and weights summed since the last ``reset()``.
    public private(set) var statistics = AWRSStatistics()
    let checker: TokenChecker<C>
    private var sampler: AWRSSampler
    private var cursor: ConstraintCursor<C>
    private var scratch: Logits?

    /// A strategy constraining to `constraint` with tokens' bytes from `table`.
    ///
    /// - Parameters:
    ///   - stopTokens: tokens allowed where the constraint may stop (EOS, end-of-turn).
    ///   - prefixLength: the prompt length (tokens before it are not constrained).
    ///   - chain: processors applied to the logits before the draw.
    ///   - options: the AWRS estimator and its parameters.
    ///   - seed: seed of the sequence's ``Xoshiro256StarStar``.
    /// - Throws: ``ConstrainedSamplingError`` for bad options or a stop token outside `table`.
    public init(constraint: C, table: TokenBytes, stopTokens: Set<Int>, prefixLength: Int,
                chain: LogitProcessorChain = LogitProcessorChain(), options: AWRSOptions = AWRSOptions(),
                seed: UInt64 = 0) throws(ConstrainedSamplingError) {
        try self.init(checker: TokenChecker(constraint: constraint, table: table, stopTokens: stopTokens),
                      prefixLength: prefixLength, chain: chain, options: options,
                      generator: Xoshiro256StarStar(seed: seed))
    }

    init(checker: TokenChecker<C>, prefixLength: Int, chain: LogitProcessorChain, options: AWRSOptions,
         generator: Xoshiro256StarStar) throws(ConstrainedSamplingError) {
        self.checker = checker
        self.prefixLength = prefixLength
        self.chain = chain
        self.generator = generator
        sampler = try AWRSSampler(options: options)
        cursor = ConstraintCursor(checker: checker)
    }

    /// The options.
    public var options: AWRSOptions { sampler.options }

    /// Draws the next token after `session` with its weight, without changing the session or
    /// the constraint state; a dead end is a value (``AWRSDraw/isDeadEnd``), not an error.
    ///
    /// - Throws: ``ConstraintError/rejectedToken(_:position:)`` if the session's generated
    ///   tokens leave the constraint, the chain's and the constraint's errors,
    ///   ``SamplingError/vocabularyMismatch(expected:actual:)``.
    public mutating func draw(_ session: any ModelSession, vocabularySize: Int) throws -> AWRSDraw {
        let state = try cursor.state(after: session.tokens, prefixLength: prefixLength)
        var logits = try Logits.loading(session.logits, into: &scratch, vocabularySize: vocabularySize)
        defer { scratch = logits }
        let greedy = chain.selectsArgmax
        if greedy {
            try chain.applyRanking(to: &logits, history: session.tokens)
        } else {
            try chain.apply(to: &logits, history: session.tokens)
        }
        let pruned = sampler.options.prune ? checker.neverAllowed : []
        var checks = DrawChecks(checker: checker, state: state, maskAfter: sampler.options.maskAfterChecks)
        let draw = greedy ? try sampler.greedy(from: logits, pruned: pruned) { try checks.accept($0) }
                          : try sampler.draw(from: logits, pruned: pruned, using: &generator) { try checks.accept($0) }
        if let token = draw.token, let accepted = checks.accepted, accepted.token == token {
            cursor.pending = (token, accepted.next)
        }
        if checks.usedMask { statistics.fullMasks += 1 }
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
            throw ConstraintError.deadEnd(position: max(0, session.tokens.count - prefixLength))
        }
        return try .single(token, chain: &chain, session: &session, context: context)
    }

    /// Forgets the constraint state, the statistics and the chain's state (the generator runs on).
    public mutating func reset() {
        chain.reset()
        cursor.reset()
        statistics = AWRSStatistics()
        lastDraw = nil
    }
}
