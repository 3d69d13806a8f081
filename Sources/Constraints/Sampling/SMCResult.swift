/// How a particle's sequence stands.
public enum SMCParticleStatus: String, Sendable, Hashable {
    /// Still being extended.
    case running
    /// Ended by a stop token (EOS, end-of-turn), which is the last of its tokens.
    case stopped
    /// Ended by the token budget.
    case truncated
    /// Reached a dead end (every token rejected, or a potential of `-infinity`); weight 0.
    case dead
}

/// One particle of an SMC run.
public struct SMCParticle: Sendable, Hashable {
    /// The generated tokens (a final stop token included).
    public var tokens: [Int]
    /// The unnormalized log weight.
    public var logWeight: Double
    /// The normalized weight `Wᵢ` (0 for a dead particle; all 0 when every particle died).
    public var weight: Double
    /// Where the particle stands.
    public var status: SMCParticleStatus
}

/// A distinct output of an SMC run with its posterior probability (the sum of the normalized
/// weights of the particles that produced it).
public struct SMCOutput: Sendable, Hashable {
    /// The generated tokens.
    public var tokens: [Int]
    /// The posterior probability.
    public var probability: Double
}

/// The work an SMC run did.
public struct SMCStatistics: Sendable, Hashable {
    /// SMC steps (one token per live particle each).
    public var steps = 0
    /// Resampling steps.
    public var resamplings = 0
    /// Batched model calls.
    public var modelCalls = 0
    /// Tokens evaluated across all particles.
    public var tokensEvaluated = 0
    /// The AWRS draws of every particle.
    public var awrs = AWRSStatistics()
}

/// The outcome of an SMC run: the weighted particles, the posterior over distinct outputs, and
/// the estimate of the log marginal likelihood `log Σ_y p(y) · c(y) · φ(y)`.
public struct SMCResult: Sendable, Hashable {
    /// The particles at the end.
    public var particles: [SMCParticle]
    /// Distinct outputs, most probable first (ties: shorter, then lexicographic tokens).
    public var posterior: [SMCOutput]
    /// `log Ẑ`, unbiased in `Ẑ`; `-infinity` when every particle died.
    public var logMarginalLikelihood: Double
    /// Whether every particle reached a dead end (then ``posterior`` is empty).
    public var allParticlesDied: Bool
    /// The longest sequence any particle generated (what was generated when all died).
    public var longestGenerated: [Int]
    /// Work done.
    public var statistics: SMCStatistics

    /// The most probable output, if any particle survived.
    public var best: SMCOutput? { posterior.first }
}

/// What the streaming view of an SMC run emits after each step: the current best particle.
public struct SMCSnapshot: Sendable, Hashable {
    /// Steps done so far.
    public var step: Int
    /// The tokens of the particle with the largest weight.
    public var bestTokens: [Int]
    /// Its normalized weight.
    public var bestWeight: Double
    /// Effective sample size `1 / Σ Wᵢ²` before any resampling of this step.
    public var effectiveSampleSize: Double
    /// Whether this step resampled.
    public var resampled: Bool
    /// Particles still running.
    public var running: Int
    /// Particles dead.
    public var dead: Int
}
