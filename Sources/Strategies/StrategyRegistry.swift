import Constraints
import Decoding
import Search

/// Builds the ``DecodingStrategy`` a ``StrategySpecification`` names from a ``StrategyContext``:
/// the one place that knows how each name of the strategy language becomes a strategy, so
/// `decode generate`, `decode compare` and library users build them alike.
///
/// ```swift
/// var context = try StrategyContext(model: model, decoder: tokenizer, chain: chain, seed: 7,
///                                   promptLength: prompt.count)
/// context.constraint = try CompiledConstraint(regex: "[0-9]{3}")
/// let strategy = try StrategyRegistry.makeStrategy(StrategySpecification(parsing: "awrs"), context: context)
/// ```
public enum StrategyRegistry {
    /// The strategy `specification` names, configured from `context`.
    ///
    /// - Throws: ``StrategyRegistryError/needsConstraint(strategy:)`` for lcd, awrs or smc:N
    ///   without ``StrategyContext/constraint``, and the strategies' own errors for bad settings
    ///   (``SamplingError``, ``SearchError``, ``ConstrainedSamplingError``).
    public static func makeStrategy(_ specification: StrategySpecification,
                                    context: StrategyContext) throws -> any DecodingStrategy {
        let options = context.searchOptions
        let verifier = context.verifier ?? MeanLogProbabilityVerifier()
        switch specification.kind {
        case .greedy:
            return SamplingStrategy(chain: LogitProcessorChain(), sampler: GreedySampler())
        case .sample:
            return SamplingStrategy(chain: context.chain, sampler: CategoricalSampler(seed: context.seed))
        case .cautious:
            return try CautiousStrategy(chain: context.chain, seed: context.seed, options: context.cautious,
                                        punctuationTokens: context.delimiters)
        case .bestOfN(let count):
            return try BestOfNStrategy(count: count, verifier: verifier, options: options, decoder: context.decoder)
        case .vote(let count):
            return try BestOfNStrategy(count: count, verifier: verifier, selection: .majorityVote(context.answerExtraction),
                                       options: options, decoder: context.decoder)
        case .beam(let width):
            return try BeamSearchStrategy(width: width, candidatesPerBeam: width, finalVerifier: context.verifier,
                                          options: options, decoder: context.decoder)
        case .diverse:
            return try DiverseSearchStrategy(delimiters: context.delimiters, maxSegmentLength: 8, verifier: verifier,
                                             options: options, decoder: context.decoder)
        case .lookahead(let steps):
            return try BeamSearchStrategy(width: 2, candidatesPerBeam: 2, lookahead: steps, options: options,
                                          decoder: context.decoder)
        case .lcd, .awrs, .smc:
            switch context.constraint {
            case .regex(let regex): return try constrained(regex, specification, context)
            case .grammar(let grammar, _): return try constrained(grammar, specification, context)
            case nil: throw StrategyRegistryError.needsConstraint(strategy: specification.description)
            }
        }
    }

    /// Refuses the combinations the library does not compose yet, before anything is loaded:
    /// an unconstrained strategy under a constraint, a constrained one without one, and
    /// speculative decoding with anything but `sample`.
    ///
    /// - Throws: ``StrategyRegistryError``.
    public static func checkComposition(_ specification: StrategySpecification, constrained: Bool,
                                        speculative: Bool) throws(StrategyRegistryError) {
        if specification.needsConstraint && !constrained {
            throw .needsConstraint(strategy: specification.description)
        }
        if speculative && specification.kind != .sample {
            throw .unsupportedComposition(strategy: specification.description, with: "speculative decoding")
        }
        if constrained && !specification.needsConstraint {
            throw .unsupportedComposition(strategy: specification.description, with: "a constraint")
        }
    }

    private static func constrained<C: Constraint>(_ constraint: C, _ specification: StrategySpecification,
                                                   _ context: StrategyContext) throws -> any DecodingStrategy {
        switch specification.kind {
        case .lcd:
            return try LocallyConstrainedStrategy(
                constraint: constraint, table: context.table, stopTokens: context.stopTokens,
                chain: context.chain, sampler: CategoricalSampler(seed: context.seed))
        case .awrs:
            return try AWRSStrategy(constraint: constraint, table: context.table, stopTokens: context.stopTokens,
                                    chain: context.chain, seed: context.seed)
        case .smc(let particles):
            var options = context.smc
            options.particles = particles
            options.seed = context.seed
            return try SMCStrategy(constraint: constraint, table: context.table, stopTokens: context.stopTokens,
                                   chain: context.chain, options: options)
        default:
            preconditionFailure("\(specification) is not a constrained strategy")
        }
    }
}
