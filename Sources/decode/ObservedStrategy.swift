import Decoding

/// What the CLI reads back from a strategy after generation (a ``Generator`` runs a private
/// copy of its strategy, so the copy reports here after every step). A class: the strategy
/// copy and the command share it, on one thread.
final class StrategyProbe {
    /// Whether to record the model's log-probabilities of each step's first token.
    let recordsLogprobs: Bool
    /// How many of the most likely tokens to record per step (0: none).
    let topLogprobCount: Int
    /// `log p` of the first token of each step under the model's raw distribution.
    private(set) var firstLogprobs: [Double] = []
    /// The most likely tokens at each step's first position, with their log-probabilities.
    private(set) var firstTopLogprobs: [[(token: Int, logprob: Double)]] = []
    /// Tokens emitted by each step.
    private(set) var stepSizes: [Int] = []
    /// Strategy-specific numbers, updated after every step by the observer.
    var details = StrategyDetails()
    private var pendingLogprobs: [Float] = []

    /// A probe recording log-probabilities when `recordsLogprobs`.
    init(recordsLogprobs: Bool, topLogprobCount: Int) {
        self.recordsLogprobs = recordsLogprobs
        self.topLogprobCount = topLogprobCount
    }

    /// Whether every step emitted one token, so ``firstLogprobs`` covers every token.
    var coversEveryToken: Bool { stepSizes.allSatisfy { $0 == 1 } }

    func before(_ session: any ModelSession) throws {
        guard recordsLogprobs else { return }
        pendingLogprobs = try Logits(session.logits).logProbabilities
    }

    func after(_ step: DecodingStep) {
        stepSizes.append(step.tokens.count)
        guard recordsLogprobs, let first = step.tokens.first else { return }
        firstLogprobs.append(Double(pendingLogprobs[first]))
        if topLogprobCount > 0 { firstTopLogprobs.append(Self.top(pendingLogprobs, topLogprobCount)) }
    }

    /// The `k` largest entries of `logprobs`, largest first (ties: smaller id first).
    static func top(_ logprobs: [Float], _ k: Int) -> [(token: Int, logprob: Double)] {
        var best: [(token: Int, logprob: Double)] = []
        best.reserveCapacity(k + 1)
        for (token, value) in logprobs.enumerated() where best.count < k || Double(value) > best[best.count - 1].logprob {
            let entry = (token: token, logprob: Double(value))
            let index = best.firstIndex { entry.logprob > $0.logprob } ?? best.count
            best.insert(entry, at: index)
            if best.count > k { best.removeLast() }
        }
        return best
    }
}

/// Strategy-specific counts the probe's observer fills in.
struct StrategyDetails {
    /// Constraint checks (AWRS and SMC: tokens checked against the constraint).
    var constraintChecks: Int?
    /// Rejected tokens (AWRS, SMC).
    var rejections: Int?
    /// Steps that computed the full mask after many rejections (AWRS, SMC).
    var fullMasks: Int?
    /// Masks served from the mask cache (LCD).
    var maskCacheHits: Int?
    /// The whole SMC outcome.
    var smc: SMCSummary?
}

/// The part of an SMC result the CLI prints.
struct SMCSummary {
    /// Each particle's tokens, normalized weight and status.
    var particles: [(tokens: [Int], weight: Double, logWeight: Double, status: String)]
    /// `log Ẑ`.
    var logMarginalLikelihood: Double
    /// Resampling steps.
    var resamplings: Int
}

/// Any strategy, with a probe that records log-probabilities around each step and an observer
/// that copies the strategy's own statistics into the probe after each step.
struct ObservedStrategy: DecodingStrategy {
    /// A readable name ("sample", "cautious", "lcd", "awrs", "smc", "speculative").
    let name: String
    private var base: any DecodingStrategy
    /// Where the statistics go.
    let probe: StrategyProbe
    private let observe: (any DecodingStrategy, StrategyProbe) -> Void

    /// Observes `base`, calling `observe` with it after every step.
    init(name: String, base: any DecodingStrategy, probe: StrategyProbe,
         observe: @escaping (any DecodingStrategy, StrategyProbe) -> Void = { _, _ in }) {
        self.name = name
        self.base = base
        self.probe = probe
        self.observe = observe
    }

    mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        try probe.before(session)
        let step = try base.step(&session, context: context)
        probe.after(step)
        observe(base, probe)
        return step
    }

    mutating func reset() {
        base.reset()
    }
}
