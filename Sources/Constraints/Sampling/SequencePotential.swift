/// A critic for SMC: a log-score of a sequence that twists the particles' weights, so SMC
/// targets `p(y) · c(y) · φ(y)` instead of `p(y) · c(y)`.
///
/// ``logScore(complete:)`` scores a finished sequence (ended by a stop token or the token
/// budget); ``logScore(prefix:)``, when it returns a value, scores a partial one, and each step
/// multiplies a particle's weight by `φ(prefix after) / φ(prefix before)`, steering resampling
/// early (the final weight is the same either way). `-infinity` kills a particle.
public protocol SequencePotential: Sendable {
    /// `log φ` of a finished sequence of generated tokens (stop token included if any).
    func logScore(complete tokens: [Int]) throws -> Double

    /// `log φ` of a partial sequence, or `nil` to score finished sequences only.
    func logScore(prefix tokens: [Int]) throws -> Double?
}

extension SequencePotential {
    /// Scores finished sequences only.
    public func logScore(prefix tokens: [Int]) throws -> Double? { nil }
}
