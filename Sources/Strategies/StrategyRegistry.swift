import Constraints
import Decoding
import Search
import Speculative

/// Builds the ``DecodingStrategy`` a ``StrategySpecification`` names from a ``StrategyContext``:
/// the one place that knows how each name and modifier of the strategy language becomes a
/// strategy, so `decode generate`, `decode compare` and library users build them alike.
///
/// ```swift
/// var context = try StrategyContext(model: model, decoder: tokenizer, chain: chain, seed: 7,
///                                   promptLength: prompt.count)
/// context.constraint = try CompiledConstraint(regex: "[0-9]{3}")
/// let strategy = try StrategyRegistry.makeStrategy(StrategySpecification(parsing: "beam:4+lcd"), context: context)
/// ```
///
/// Compositions and what they sample:
/// - `+lcd` puts the constraint's mask first in the chain the strategy samples or ranks from:
///   CNTP's trials are drawn and its perplexities measured on the constrained distribution;
///   best-of-N, vote, diverse, beam and lookahead candidates all stay in the constraint's
///   language (their scores still use the model's own log-probabilities).
/// - `+draft:…` on `sample`, `greedy` or `lcd` (and their `+lcd` forms) is speculative decoding
///   verified against that strategy's chain, constraint included: the output distribution is
///   the non-speculative strategy's, exactly.
/// - `cautious+draft:…` takes CNTP's ordinary steps speculatively, each step ending before a
///   position whose entropy calls for trials (tested on the target's row there), so every
///   position is decided as CNTP decides it: CNTP's distribution, exactly.
/// - `awrs+draft:…` verifies against the unconstrained chain and then checks each emitted token
///   against the constraint, redrawing a rejected one from the same row without the rejected
///   tokens (a full mask after 64 rejections), as AWRS does: exactly AWRS's distribution.
/// - The rest are refused with ``StrategyRegistryError/unsupportedComposition(strategy:with:reason:)``
///   (see ``checkComposition(_:constrained:)``).
public enum StrategyRegistry {
    /// The strategy `specification` names, configured from `context`.
    ///
    /// - Throws: ``StrategyRegistryError`` for a constrained strategy without
    ///   ``StrategyContext/constraint``, `+draft:model` without ``StrategyContext/draftModel`` and
    ///   a composition that is refused, and the strategies' own errors for bad settings
    ///   (``SamplingError``, ``SearchError``, ``ConstrainedSamplingError``, ``SpeculativeError``).
    public static func makeStrategy(_ specification: StrategySpecification,
                                    context: StrategyContext) throws -> any DecodingStrategy {
        try checkComposition(specification, constrained: context.constraint != nil)
        if specification.drafter != nil { return try speculative(specification, context: context) }
        let chain = try context.chain(constrained: specification.isConstrained, strategy: specification)
        let options = context.searchOptions(chain: chain)
        let verifier = context.verifier ?? MeanLogProbabilityVerifier()
        switch specification.kind {
        case .greedy:
            // The argmax of the raw logits (of the allowed tokens, under `+lcd`).
            let mask = specification.isConstrained ? chain.restrictingStages : LogitProcessorChain()
            return SamplingStrategy(chain: mask, sampler: GreedySampler())
        case .sample:
            return SamplingStrategy(chain: chain, sampler: CategoricalSampler(seed: context.seed))
        case .cautious:
            return try CautiousStrategy(chain: chain, seed: context.seed, options: context.cautious,
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

    /// Refuses, before anything is loaded, what cannot be built: a constrained strategy without
    /// a constraint (`constrained` false) and the compositions that cannot be made exact or are
    /// not composed: a drafter on a search strategy or on SMC.
    ///
    /// - Throws: ``StrategyRegistryError``.
    public static func checkComposition(_ specification: StrategySpecification,
                                        constrained: Bool) throws(StrategyRegistryError) {
        if specification.needsConstraint && !constrained {
            throw .needsConstraint(strategy: specification.description)
        }
        guard specification.drafter != nil else { return }
        let strategy = specification.description
        let speculative = "speculative decoding"
        switch specification.kind {
        case .greedy, .sample, .lcd, .awrs, .cautious:
            return
        case .bestOfN, .vote, .beam, .diverse, .lookahead:
            throw .unsupportedComposition(strategy: strategy, with: speculative, reason: """
                a search advances all its branches together with one batched evaluation per position; verifying \
                a draft tree per branch is not composed with that batch
                """)
        case .smc:
            throw .unsupportedComposition(strategy: strategy, with: speculative, reason: """
                sequential Monte Carlo extends and reweights every particle by exactly one token and resamples \
                between tokens; speculative steps emit a different number of tokens per particle, so the \
                particles would not be aligned when they are resampled
                """)
        }
    }

    /// Speculative decoding verified against the chain of the strategy the drafter modifies;
    /// for CNTP, its ordinary steps (``Decoding/CautiousStrategy/plainSteps``), each ending
    /// before a position whose entropy calls for trials.
    private static func speculative(_ specification: StrategySpecification,
                                    context: StrategyContext) throws -> any DecodingStrategy {
        let full = try context.chain(constrained: specification.needsConstraint, strategy: specification)
        switch specification.kind {
        case .greedy:
            let greedy = try SamplingParameters.greedy.makeChain()
            let target = LogitProcessorChain(full.restrictingStages.processors + greedy.processors)
            return try speculative(specification, chain: target, form: .mask, seed: context.seed, context: context)
        case .awrs:
            return try speculative(specification, chain: full, form: .rejection, seed: context.seed, context: context)
        case .cautious:
            // Its own stream, independent of the trials' generator (seeded by the same seed).
            var plain = try speculative(specification, chain: full, form: .mask,
                                        seed: context.seed ^ 0x9E37_79B9_7F4A_7C15, context: context)
            let options = context.cautious
            plain.stopsBefore = { options.branches(atEntropy: $0.entropy) }
            var cautious = try CautiousStrategy(chain: full, seed: context.seed, options: options,
                                                punctuationTokens: context.delimiters)
            cautious.plainSteps = plain
            return cautious
        default:
            return try speculative(specification, chain: full, form: .mask, seed: context.seed, context: context)
        }
    }

    /// A speculative decoder verifying against `target` with the specification's drafter.
    private static func speculative(_ specification: StrategySpecification, chain target: LogitProcessorChain,
                                    form: SpeculativeStrategy.ConstraintForm, seed: UInt64,
                                    context: StrategyContext) throws -> SpeculativeStrategy {
        let drafter: any Drafter
        switch specification.drafter {
        case .model:
            guard let draftModel = context.draftModel else {
                throw StrategyRegistryError.needsDraftModel(strategy: specification.description)
            }
            // The draft samples from the target's unconstrained stages (at temperature 1 when the
            // target is greedy, so the tree still branches by the draft's preferences).
            let draftChain = target.selectsArgmax ? LogitProcessorChain() : target.unrestrictedStages
            drafter = try ModelDrafter(model: draftModel, targetVocabularySize: context.model.vocabularySize,
                                       transform: ProbabilityTransform(chain: draftChain))
        case .ngram, nil:
            drafter = try NGramDrafter(minimumOrder: 1, maximumOrder: 4)
        }
        return try SpeculativeStrategy(target: context.model, drafter: drafter, tree: context.tree,
                                       adaptiveBudget: context.adaptiveBudget, chain: target, constraintForm: form,
                                       seed: seed)
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
