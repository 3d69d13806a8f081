/// Bad options or input for AWRS and SMC (``AWRSStrategy``, ``SMCStrategy``), and the ends of
/// generation they report as errors.
public enum ConstrainedSamplingError: Error, Equatable, Sendable {
    /// `maxAccepts` must be at least 2.
    case invalidMaxAccepts(Int)
    /// The geometric threshold must be in `(0, 1]` (NaN is rejected).
    case invalidGeometricThreshold(Double)
    /// The checks before a full mask must not be negative.
    case invalidMaskAfterChecks(Int)
    /// The particle count must be positive.
    case invalidParticleCount(Int)
    /// The ESS threshold must be in `[0, 1]` (NaN is rejected).
    case invalidESSThreshold(Double)
    /// The token budget must be positive.
    case invalidMaxTokens(Int)
    /// No token is allowed at the start and the constraint may not stop: nothing can be
    /// generated.
    case unsatisfiableConstraint
    /// Every particle reached a dead end; `generated` is the longest sequence any reached.
    case allParticlesDied(generated: [Int])
    /// A stop token id outside the vocabulary.
    case stopTokenOutOfRange(Int, vocabularySize: Int)
    /// A resampling scheme name that does not exist.
    case unknownResamplingScheme(String, valid: [String])
    /// The token table does not match the model's vocabulary.
    case vocabularyMismatch(table: Int, model: Int)
    /// SMC was given a greedy chain (temperature 0): it samples a posterior and has no greedy
    /// mode; AWRS or LCD at temperature 0 give the most likely allowed token at each step.
    case greedySMC
}

extension ConstrainedSamplingError: CustomStringConvertible {
    /// A sentence a user understands.
    public var description: String {
        switch self {
        case .invalidMaxAccepts(let value): return "AWRS maxAccepts must be at least 2, got \(value)"
        case .invalidGeometricThreshold(let value):
            return "AWRS geometric threshold must be in (0, 1], got \(value)"
        case .invalidMaskAfterChecks(let value):
            return "AWRS checks before a full mask must be >= 0, got \(value)"
        case .invalidParticleCount(let value): return "the number of particles must be positive, got \(value)"
        case .invalidESSThreshold(let value): return "the ESS threshold must be in [0, 1], got \(value)"
        case .invalidMaxTokens(let value): return "maxTokens must be positive, got \(value)"
        case .unsatisfiableConstraint:
            return "the constraint allows no token at the start and cannot stop there: nothing can be generated"
        case .allParticlesDied(let generated):
            return "every particle reached a dead end (the longest had \(generated.count) tokens)"
        case .stopTokenOutOfRange(let token, let size): return "stop token \(token) is outside the vocabulary 0..<\(size)"
        case .unknownResamplingScheme(let name, let valid):
            return "unknown resampling scheme '\(name)'; valid: \(valid.joined(separator: ", "))"
        case .vocabularyMismatch(let table, let model):
            return "the token table has \(table) entries but the model's vocabulary has \(model)"
        case .greedySMC:
            return "SMC samples from the constrained distribution and has no greedy mode (temperature 0); "
                + "use AWRS or LCD at temperature 0 for the most likely allowed token at each step"
        }
    }
}
