/// The one protocol every decoding strategy conforms to: advance a model session by one
/// step that emits one or more tokens (a sampled token, a CNTP segment, accepted speculative
/// tokens, a search's chosen continuation), with statistics of what the step cost.
///
/// Contract of ``step(_:context:)``:
/// - it emits between 1 and `context.remainingTokens` tokens;
/// - on return `session` holds every emitted token, evaluated, so its logits describe the
///   next position, except that a final token that ends generation (a stop token of the
///   model's ``SpecialTokens``, or the one that uses up `remainingTokens`) may be left
///   unevaluated (``DecodingStep/lastTokenEvaluated`` says which);
/// - it may replace `session` by another session of the same model (for example the fork of
///   the trial it committed to).
///
/// Strategies are values (structs); copying one forks its random generator and state.
public protocol DecodingStrategy {
    /// Advances `session` by one step.
    ///
    /// - Throws: ``SamplingError/vocabularyMismatch(expected:actual:)`` when the session's
    ///   logits do not match the model's vocabulary, and the model's and processors' errors.
    mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep

    /// Forgets per-sequence state (a new sequence starts).
    mutating func reset()

    /// Counts and outcomes particular to this strategy, as of its last step (AWRS's constraint
    /// checks, SMC's particles, speculative decoding's acceptance): read it from the strategy a
    /// ``GenerationIterator`` ran (``GenerationIterator/strategy``) after generation.
    var metrics: StrategyMetrics { get }
}

extension DecodingStrategy {
    /// Does nothing: a stateless strategy.
    public mutating func reset() {}

    /// None: the ``StepStatistics`` say everything.
    public var metrics: StrategyMetrics { StrategyMetrics() }
}

/// What a step may do: the model it runs on and how many tokens it may still emit.
public struct StepContext {
    /// The model the session belongs to.
    public var model: any LanguageModel
    /// The most tokens this step may emit (at least 1): what is left of the token budget
    /// and of the context window.
    public var remainingTokens: Int
    /// Whether the caller wants ``DecodingStep/logprobs``: a strategy that knows the
    /// distribution it draws from reports each token's ``TokenLogprobs/sampled`` then (and
    /// skips that work otherwise).
    public var recordsLogprobs: Bool

    /// A context for one step.
    public init(model: any LanguageModel, remainingTokens: Int, recordsLogprobs: Bool = false) {
        precondition(remainingTokens >= 1, "a step must be allowed at least one token")
        self.model = model
        self.remainingTokens = remainingTokens
        self.recordsLogprobs = recordsLogprobs
    }

    /// Whether `token` at 1-based position `emitted` of this step ends generation, so it need
    /// not be evaluated.
    public func endsGeneration(_ token: Int, emitted: Int) -> Bool {
        model.specialTokens.isStop(token) || emitted >= remainingTokens
    }
}

/// The tokens one step emitted and what it cost.
public struct DecodingStep: Sendable, Hashable {
    /// The emitted tokens, in order (at least one).
    public var tokens: [Int]
    /// Whether the session holds the last emitted token evaluated (see ``DecodingStrategy``).
    public var lastTokenEvaluated: Bool
    /// What the step cost.
    public var statistics: StepStatistics
    /// Each emitted token's log-probabilities, as far as the strategy knows them (one per
    /// token), or empty when it reports none (see ``StepContext/recordsLogprobs``).
    public var logprobs: [TokenLogprobs]

    /// A step result.
    public init(tokens: [Int], lastTokenEvaluated: Bool, statistics: StepStatistics, logprobs: [TokenLogprobs] = []) {
        precondition(logprobs.isEmpty || logprobs.count == tokens.count, "one TokenLogprobs per token, or none")
        self.tokens = tokens
        self.lastTokenEvaluated = lastTokenEvaluated
        self.statistics = statistics
        self.logprobs = logprobs
    }
}

/// Counts of the work a step (or a whole generation, summed) did.
public struct StepStatistics: Sendable, Hashable {
    /// Steps taken (1 for one step).
    public var steps: Int
    /// Calls into the model (`append`, `appendBatch`, `evaluateTree`).
    public var modelCalls: Int
    /// Tokens the model evaluated, across all sessions of a batch.
    public var tokensEvaluated: Int
    /// Evaluated tokens that were not emitted (discarded trials, rejected drafts).
    public var discardedTokens: Int
    /// Alternatives the step considered (1 for plain sampling, N trials for CNTP).
    public var branchesTried: Int
    /// Steps that explored more than one branch.
    public var branchingSteps: Int

    /// Statistics with the given counts.
    public init(steps: Int = 0, modelCalls: Int = 0, tokensEvaluated: Int = 0, discardedTokens: Int = 0,
                branchesTried: Int = 0, branchingSteps: Int = 0) {
        self.steps = steps
        self.modelCalls = modelCalls
        self.tokensEvaluated = tokensEvaluated
        self.discardedTokens = discardedTokens
        self.branchesTried = branchesTried
        self.branchingSteps = branchingSteps
    }

    /// Adds `other`'s counts to these.
    public static func += (lhs: inout StepStatistics, rhs: StepStatistics) {
        lhs.steps += rhs.steps
        lhs.modelCalls += rhs.modelCalls
        lhs.tokensEvaluated += rhs.tokensEvaluated
        lhs.discardedTokens += rhs.discardedTokens
        lhs.branchesTried += rhs.branchesTried
        lhs.branchingSteps += rhs.branchingSteps
    }
}
