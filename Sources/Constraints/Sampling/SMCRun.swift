import Decoding
import Foundation

/// One SMC run in progress, advanced a step at a time: the streaming view of ``SMCStrategy``.
///
/// Each ``next()`` extends every running particle by one AWRS token (one batched model call for
/// all of them), multiplies the weights, applies the potential's twist, and resamples when the
/// effective sample size falls below the threshold; it returns a snapshot with the current
/// best particle, or `nil` once every particle has finished or died. ``result()`` gives the
/// outcome.
public struct SMCRun<C: Constraint> {
    struct Particle {
        var session: any ModelSession
        /// The constraint along the particle's tokens (``tokens``); forked with the particle.
        var matcher: ConstraintMatcher<C>
        var tokens: [Int]
        var logWeight: Double
        var status: SMCParticleStatus
        var generator: Xoshiro256StarStar
        var chain: LogitProcessorChain
        var logPotential: Double
    }

    let model: any LanguageModel
    let tokenConstraint: TokenConstraint<C>
    let options: SMCOptions
    let potential: (any SequencePotential)?
    let maxTokens: Int
    var particles: [Particle]
    var sampler: AWRSSampler
    var generator: Xoshiro256StarStar
    /// This step's processed rows, one per distinct session (particles that hold the same tokens
    /// share a session, a matcher state and a chain state, so their rows are identical).
    private var rows = SharedRows()
    /// Work done so far.
    public private(set) var statistics = SMCStatistics()

    init(model: any LanguageModel, session: any ModelSession, tokenConstraint: TokenConstraint<C>, chain: LogitProcessorChain,
         options: SMCOptions, potential: (any SequencePotential)?, maxTokens: Int) throws {
        self.model = model
        self.tokenConstraint = tokenConstraint
        self.options = options
        self.potential = potential
        self.maxTokens = maxTokens
        sampler = try AWRSSampler(options: options.awrs)
        generator = Xoshiro256StarStar(seed: options.seed, stream: UInt64.max)
        var matcher = ConstraintMatcher(tokenConstraint)
        matcher.begin(at: session.tokens.count)
        // One fork shared by every particle; particles share sessions while their tokens agree.
        let root = try session.fork()
        particles = (0..<options.particles).map { i in
            Particle(session: root, matcher: matcher, tokens: [], logWeight: 0,
                     status: .running, generator: Xoshiro256StarStar(seed: options.seed, stream: UInt64(i)),
                     chain: chain, logPotential: 0)
        }
    }

    /// Whether some particle is still running.
    public var isRunning: Bool { particles.contains { $0.status == .running } }

    /// Advances every running particle by one token; `nil` when none was running.
    ///
    /// - Throws: the model's, the chain's and the constraint's errors, and the potential's.
    public mutating func next() throws -> SMCSnapshot? {
        guard isRunning else { return nil }
        statistics.steps += 1
        var batch: [Int] = []
        var batchTokens: [Int] = []
        for i in particles.indices where particles[i].status == .running {
            if let token = try extend(i) {
                batch.append(i)
                batchTokens.append(token)
            }
        }
        rows.clear()
        if !batch.isEmpty {
            // Particles in one session that drew the same token keep sharing it (evaluated once);
            // the sessions of particles that ended stay as they are.
            var sessions = batch.map { particles[$0].session }
            let appending = Set(batch)
            let held = particles.indices.filter { !appending.contains($0) }.map { particles[$0].session }
            statistics.tokensEvaluated += try SharedSessionBatch.append(batchTokens, to: &sessions, held: held, model: model)
            statistics.modelCalls += 1
            for (i, session) in zip(batch, sessions) { particles[i].session = session }
        }
        let weights = normalizedWeights()
        let ess = weights.isEmpty ? 0 : 1 / weights.reduce(0) { $0 + $1 * $1 }
        var resampled = false
        if !weights.isEmpty && isRunning && ess < options.essThreshold * Double(particles.count) {
            resample(weights)
            resampled = true
        }
        let best = bestIndex()
        return SMCSnapshot(step: statistics.steps, bestTokens: best.map { particles[$0].tokens } ?? [],
                           bestWeight: best.map { normalizedWeights()[$0] } ?? 0, effectiveSampleSize: ess,
                           resampled: resampled, running: particles.filter { $0.status == .running }.count,
                           dead: particles.filter { $0.status == .dead }.count)
    }

    /// Draws particle `i`'s next token with AWRS and updates its weight and state; returns the
    /// token when it must be evaluated.
    private mutating func extend(_ i: Int) throws -> Int? {
        let logits = try rows.processed(for: particles[i].session, chain: &particles[i].chain,
                                        vocabularySize: model.vocabularySize)
        var checks = DrawChecks(tokenConstraint: tokenConstraint, state: particles[i].matcher.state,
                                maskAfter: options.awrs.maskAfterChecks)
        let draw = try sampler.draw(from: logits, pruned: options.awrs.prune ? tokenConstraint.neverAllowed : [],
                                    using: &particles[i].generator, acceptor: &checks)
        if checks.usedMask { statistics.awrs.fullMasks += 1 }
        if checks.cachedMask { statistics.awrs.cachedMasks += 1 }
        statistics.awrs.record(draw)
        guard let token = draw.token else {
            particles[i].status = .dead
            particles[i].logWeight = -.infinity
            return nil
        }
        particles[i].chain.accept(token)
        particles[i].tokens.append(token)
        particles[i].logWeight += draw.logWeight
        if let accepted = checks.accepted, accepted.token == token {
            particles[i].matcher.commit(token, accepted.check)
        } else {
            try particles[i].matcher.advance(token)
        }
        if particles[i].matcher.isFinished {
            particles[i].status = .stopped
        } else if particles[i].tokens.count >= maxTokens {
            particles[i].status = .truncated
        }
        try twist(i)
        return particles[i].status == .running ? token : nil
    }

    /// Multiplies particle `i`'s weight by the potential's change.
    private mutating func twist(_ i: Int) throws {
        guard let potential, particles[i].status != .dead else { return }
        let score: Double?
        if particles[i].status == .running {
            score = try potential.logScore(prefix: particles[i].tokens)
        } else {
            score = try potential.logScore(complete: particles[i].tokens)
        }
        guard let score else { return }
        particles[i].logWeight += score - particles[i].logPotential
        particles[i].logPotential = score
        if score == -.infinity || particles[i].logWeight.isNaN {
            particles[i].status = .dead
            particles[i].logWeight = -.infinity
        }
    }

    /// Normalized weights; empty when every particle has weight 0.
    func normalizedWeights() -> [Double] {
        let top = particles.map(\.logWeight).max() ?? -.infinity
        guard top > -.infinity else { return [] }
        let raw = particles.map { exp($0.logWeight - top) }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    /// `log Σ exp(logWᵢ) − log N`.
    var logAverageWeight: Double {
        let top = particles.map(\.logWeight).max() ?? -.infinity
        guard top > -.infinity else { return -.infinity }
        return top + log(particles.reduce(0) { $0 + exp($1.logWeight - top) }) - log(Double(particles.count))
    }

    private mutating func resample(_ weights: [Double]) {
        statistics.resamplings += 1
        let average = logAverageWeight
        let indices = options.resampling.resample(weights: weights, count: particles.count, using: &generator)
        var used = [Bool](repeating: false, count: particles.count)
        var survivors: [Particle] = []
        survivors.reserveCapacity(particles.count)
        for index in indices {
            var particle = particles[index]
            // A copy shares its original's session until their tokens diverge.
            if used[index] { particle.generator = Xoshiro256StarStar(seed: generator.next()) }
            used[index] = true
            particle.logWeight = average
            survivors.append(particle)
        }
        particles = survivors
    }

    private func bestIndex() -> Int? {
        var best: Int?
        var bestWeight = -Double.infinity
        for i in particles.indices where particles[i].status != .dead {
            if best == nil || particles[i].logWeight > bestWeight {
                best = i
                bestWeight = particles[i].logWeight
            }
        }
        return best
    }

    /// The outcome so far (final once ``next()`` returned `nil`).
    public func result() -> SMCResult {
        let weights = normalizedWeights()
        let results = particles.indices.map { i in
            SMCParticle(tokens: particles[i].tokens, logWeight: particles[i].logWeight,
                        weight: weights.isEmpty ? 0 : weights[i], status: particles[i].status)
        }
        var mass: [[Int]: Double] = [:]
        for particle in results where particle.weight > 0 { mass[particle.tokens, default: 0] += particle.weight }
        let posterior = mass.map { SMCOutput(tokens: $0.key, probability: $0.value) }.sorted {
            if $0.probability != $1.probability { return $0.probability > $1.probability }
            if $0.tokens.count != $1.tokens.count { return $0.tokens.count < $1.tokens.count }
            return $0.tokens.lexicographicallyPrecedes($1.tokens)
        }
        let longest = particles.max { $0.tokens.count < $1.tokens.count }?.tokens ?? []
        return SMCResult(particles: results, posterior: posterior, logMarginalLikelihood: logAverageWeight,
                         allParticlesDied: weights.isEmpty, longestGenerated: longest, statistics: statistics)
    }

    /// The session of particle `index` (for continuing from the chosen particle).
    func session(of index: Int) -> any ModelSession { particles[index].session }
}
