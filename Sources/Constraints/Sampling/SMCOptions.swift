/// Options of sequential Monte Carlo with AWRS proposals (``SMCStrategy``), validated by
/// ``validate()``: what the CLI's `--particles`, `--ess-threshold` and `--resample` set.
///
/// ```swift
/// var options = SMCOptions(particles: 20, essThreshold: 0.5, resampling: .systematic, seed: 1)
/// try options.validate()
/// ```
public struct SMCOptions: Sendable, Hashable {
    /// Number of particles `N` (> 0).
    public var particles: Int
    /// Resample when the effective sample size `1 / Σ Wᵢ²` falls below `essThreshold · N`
    /// (in `[0, 1]`: 0 never resamples, 1 resamples at every step with unequal weights).
    public var essThreshold: Double
    /// The resampling scheme.
    public var resampling: ResamplingScheme
    /// The AWRS proposal of every particle.
    public var awrs: AWRSOptions
    /// Seed of the run (particle `i` draws from stream `i`).
    public var seed: UInt64

    /// Options with the reference defaults: 10 particles, threshold 0.5, multinomial resampling.
    public init(particles: Int = 10, essThreshold: Double = 0.5, resampling: ResamplingScheme = .multinomial,
                awrs: AWRSOptions = AWRSOptions(), seed: UInt64 = 0) {
        self.particles = particles
        self.essThreshold = essThreshold
        self.resampling = resampling
        self.awrs = awrs
        self.seed = seed
    }

    /// Checks every option.
    ///
    /// - Throws: ``ConstrainedSamplingError/invalidParticleCount(_:)``,
    ///   ``ConstrainedSamplingError/invalidESSThreshold(_:)``, and the errors of
    ///   ``AWRSOptions/validate()``.
    public func validate() throws(ConstrainedSamplingError) {
        guard particles > 0 else { throw .invalidParticleCount(particles) }
        guard essThreshold >= 0 && essThreshold <= 1 else { throw .invalidESSThreshold(essThreshold) }
        try awrs.validate()
    }
}
