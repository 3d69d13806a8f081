import Foundation

/// Cautious next-token prediction (CNTP; Wang et al., "Cautious Next Token Prediction",
/// Findings of ACL 2025, arXiv:2507.03038), as its reference code does it.
///
/// Each step processes the next-token logits with the chain and measures the entropy H of
/// the result. When the model is confident (``CautiousOptions/trialCount(entropy:)`` ≤ 1) it
/// takes one ordinary sampling step. Otherwise it forks N sessions sharing the prefix and
/// lets each sample (always sampling, same chain) until it emits a punctuation token, a stop
/// token, or reaches the segment limit; the trials advance together, one `appendBatch` per
/// position, and the first position reuses the logits already computed. Trials that drew the
/// same tokens so far share one session (evaluated and processed once) until they diverge. It commits the trial
/// with the lowest perplexity `exp(−mean log p)` of its own tokens under the processed
/// distribution (punctuation included; ties go to the earlier trial) and continues from that
/// trial's session.
///
/// Follows `_sample_reflect_perplexity` in github.com/wyzjack/CNTP (entropy of the processed
/// distribution, the trial-count formula, punctuation ids, per-trial perplexity, first
/// minimum). Differences: the trials run as one batch per position instead of one after the
/// other, the first position reuses the logits already computed instead of re-running the
/// model (same distribution, fewer calls), and a segment can be capped
/// (``CautiousOptions/maxSegmentLength``).
public struct CautiousStrategy: DecodingStrategy {
    /// One trial of the last branching step.
    public struct Trial: Sendable, Hashable {
        /// The tokens the trial sampled.
        public var tokens: [Int]
        /// `log p` of each token under the processed distribution it was drawn from.
        public var logProbabilities: [Double]
        /// `exp(−mean log p)`.
        public var perplexity: Double {
            exp(-logProbabilities.reduce(0, +) / Double(max(logProbabilities.count, 1)))
        }
    }

    /// The processors applied at every position of every trial.
    public var chain: LogitProcessorChain
    /// The sequence's generator; trials draw from it in a fixed order.
    public var generator: Xoshiro256StarStar
    /// The settings.
    public let options: CautiousOptions
    /// Tokens that end a segment.
    public let punctuationTokens: Set<Int>
    /// The trials of the last branching step (empty after an ordinary step).
    public private(set) var lastTrials: [Trial] = []
    /// Which of ``lastTrials`` was committed.
    public private(set) var lastChosenTrial: Int?
    /// The strategy that takes the ordinary (single-trial) steps, when not plain sampling: a
    /// speculative decoder with the same chain that ends its step before any position whose
    /// entropy calls for trials (see ``CautiousOptions/branches(atEntropy:)``), so every position
    /// is still tested and the output distribution is CNTP's. `nil`: one sampled token per
    /// ordinary step.
    public var plainSteps: (any DecodingStrategy)?
    private var scratch: Logits?
    /// The trials' processed rows at one position, reused from step to step.
    private var rows = SharedRows()

    /// A strategy with explicit punctuation tokens.
    ///
    /// - Throws: ``SamplingError/invalidParameter(_:)`` for bad options.
    public init(chain: LogitProcessorChain, seed: UInt64, options: CautiousOptions = CautiousOptions(),
                punctuationTokens: Set<Int>) throws {
        try options.validate()
        self.chain = chain
        generator = Xoshiro256StarStar(seed: seed)
        self.options = options
        self.punctuationTokens = punctuationTokens
    }

    /// A strategy whose punctuation tokens are found by decoding the vocabulary once.
    ///
    /// - Throws: bad options, and the decoder's errors.
    public init(chain: LogitProcessorChain, seed: UInt64, options: CautiousOptions = CautiousOptions(),
                vocabularySize: Int, decoder: any TokenDecoder) throws {
        try options.validate()
        try self.init(chain: chain, seed: seed, options: options,
                      punctuationTokens: options.punctuationTokens(vocabularySize: vocabularySize, decoder: decoder))
    }

    /// One ordinary step or one committed segment (see the type's summary).
    public mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        let vocabularySize = context.model.vocabularySize
        var first = try Logits.loading(session.logits, into: &scratch, vocabularySize: vocabularySize)
        try chain.apply(to: &first, history: session.tokens)
        defer { scratch = first }
        let trialCount = options.trialCount(entropy: first.entropy)
        lastTrials = []
        lastChosenTrial = nil
        if trialCount <= 1 && options.fixedTrialCount == nil {
            if var plain = plainSteps {
                let step = try plain.step(&session, context: context)
                plainSteps = plain
                for token in step.tokens { chain.accept(token) }
                return step
            }
            let token = CategoricalSampler.draw(from: first, using: &generator)
            return try .single(token, chain: &chain, session: &session, context: context)
        }
        return try branch(&session, first: first, trialCount: trialCount, context: context)
    }

    private struct Running {
        var session: any ModelSession
        var chain: LogitProcessorChain
        var trial = Trial(tokens: [], logProbabilities: [])
        var finished = false
    }

    private mutating func branch(_ session: inout any ModelSession, first: Logits, trialCount: Int,
                                 context: StepContext) throws -> DecodingStep {
        let limit = min(options.maxSegmentLength, context.remainingTokens)
        let specials = context.model.specialTokens
        var statistics = StepStatistics(steps: 1, branchesTried: trialCount, branchingSteps: 1)
        // The trials start on one fork of the session and share sessions while their tokens
        // agree: each distinct continuation is evaluated once (``SharedSessionBatch``) and its
        // row processed once (``SharedRows``).
        let root = try session.fork()
        var trials = [Running](repeating: Running(session: root, chain: chain), count: trialCount)
        func record(_ token: Int, _ logits: Logits, into running: inout Running) {
            running.trial.tokens.append(token)
            running.trial.logProbabilities.append(logits.logProbability(of: token))
            running.chain.accept(token)
            running.finished = punctuationTokens.contains(token) || specials.isStop(token)
                || running.trial.tokens.count >= limit
        }
        for index in trials.indices {
            record(CategoricalSampler.draw(from: first, using: &generator), first, into: &trials[index])
        }
        while true {
            let active = trials.indices.filter { !trials[$0].finished }
            if active.isEmpty { break }
            var sessions = active.map { trials[$0].session }
            let held = trials.indices.filter { trials[$0].finished }.map { trials[$0].session }
            statistics.tokensEvaluated += try SharedSessionBatch.append(
                active.map { trials[$0].trial.tokens.last ?? 0 }, to: &sessions, held: held, model: context.model)
            statistics.modelCalls += 1
            rows.clear()
            for (index, session) in zip(active, sessions) { trials[index].session = session }
            for index in active {
                let logits = try rows.processed(for: trials[index].session, chain: &trials[index].chain,
                                                vocabularySize: context.model.vocabularySize)
                record(CategoricalSampler.draw(from: logits, using: &generator), logits, into: &trials[index])
            }
        }
        rows.clear()
        var chosen = 0
        for index in trials.indices where trials[index].trial.perplexity < trials[chosen].trial.perplexity {
            chosen = index
        }
        lastTrials = trials.map(\.trial)
        lastChosenTrial = chosen
        let tokens = trials[chosen].trial.tokens
        // Every trial evaluated all its tokens but its last (tokens shared between trials once);
        // all but the chosen trial's are discarded.
        statistics.discardedTokens = statistics.tokensEvaluated - (trials[chosen].trial.tokens.count - 1)
        session = trials[chosen].session
        chain = trials[chosen].chain
        let last = tokens[tokens.count - 1]
        let evaluate = !context.endsGeneration(last, emitted: tokens.count)
        if evaluate {
            try session.append([last])
            statistics.modelCalls += 1
            statistics.tokensEvaluated += 1
        }
        return DecodingStep(tokens: tokens, lastTokenEvaluated: evaluate, statistics: statistics)
    }

    /// Resets the chain's stages (and the ordinary steps' strategy).
    public mutating func reset() {
        chain.reset()
        plainSteps?.reset()
        lastTrials = []
        lastChosenTrial = nil
    }
}
