import Constraints
import Decoding
import Speculative
import Tokenizer

/// Builds the strategy `decode generate` runs from its option groups: plain or cautious
/// sampling, a constrained strategy (LCD, AWRS, SMC) for a compiled constraint, or speculative
/// decoding; each wrapped in an ``ObservedStrategy`` whose probe collects its statistics.
struct StrategyFactory {
    /// The target model.
    let model: any LanguageModel
    /// Token bytes (control tokens empty): constraints' table and the generator's decoder.
    let table: TokenBytes
    /// Number of prompt tokens (outside any constraint).
    let promptLength: Int
    /// The sampler parameters, seed included.
    let parameters: SamplingParameters
    /// The probe every strategy reports to.
    let probe: StrategyProbe

    /// Tokens that end generation, allowed where a constraint may stop.
    var stopTokens: Set<Int> {
        var tokens = model.specialTokens.endOfTurn
        if let eos = model.specialTokens.eos { tokens.insert(eos) }
        return tokens
    }

    /// The byte table of `tokenizer`, with control tokens (`<|im_end|>`, …) printing nothing.
    static func table(for tokenizer: Tokenizer) -> TokenBytes {
        TokenBytes((0..<tokenizer.vocabularySize).map { tokenizer.isControl($0) ? [] : tokenizer.tokenBytes($0) })
    }

    /// Plain or cautious sampling.
    func sampling(_ kind: SamplingStrategyKind, cautious: CautiousOptions) throws -> ObservedStrategy {
        switch kind {
        case .sample:
            return ObservedStrategy(name: "sample", base: try parameters.makeStrategy(), probe: probe)
        case .cautious:
            let strategy = try CautiousStrategy(
                chain: try parameters.makeChain(), seed: parameters.seed, options: cautious,
                vocabularySize: model.vocabularySize, decoder: ClosureTokenDecoder(table: table.pieces))
            return ObservedStrategy(name: "cautious", base: strategy, probe: probe)
        }
    }

    /// A constrained strategy for `constraint`.
    func constrained(_ constraint: CompiledConstraint, method: ConstrainMethod, smc: SMCOptions) throws -> ObservedStrategy {
        switch constraint {
        case .regex(let regex): return try constrained(regex, method: method, smc: smc)
        case .grammar(let grammar, _): return try constrained(grammar, method: method, smc: smc)
        }
    }

    private func constrained<C: Constraint>(_ constraint: C, method: ConstrainMethod, smc: SMCOptions) throws -> ObservedStrategy {
        let chain = try parameters.makeChain()
        switch method {
        case .lcd:
            let strategy = LocallyConstrainedStrategy(
                constraint: constraint, table: table, stopTokens: stopTokens, prefixLength: promptLength,
                chain: chain, sampler: parameters.makeSampler())
            return ObservedStrategy(name: "lcd", base: strategy, probe: probe) { base, probe in
                guard let lcd = base as? LocallyConstrainedStrategy<C, CategoricalSampler>,
                      let mask = lcd.chain.processors.first as? ConstraintMask<C> else { return }
                probe.details.maskCacheHits = mask.maskCacheHits
            }
        case .awrs:
            let strategy = try AWRSStrategy(constraint: constraint, table: table, stopTokens: stopTokens,
                                            prefixLength: promptLength, chain: chain, seed: parameters.seed)
            return ObservedStrategy(name: "awrs", base: strategy, probe: probe) { base, probe in
                guard let awrs = base as? AWRSStrategy<C> else { return }
                probe.details.constraintChecks = awrs.statistics.checks
                probe.details.rejections = awrs.statistics.rejections
                probe.details.fullMasks = awrs.statistics.fullMasks
            }
        case .smc:
            let strategy = try SMCStrategy(constraint: constraint, table: table, stopTokens: stopTokens,
                                           chain: chain, options: smc)
            return ObservedStrategy(name: "smc", base: strategy, probe: probe) { base, probe in
                guard let smc = base as? SMCStrategy<C>, let result = smc.lastResult else { return }
                probe.details.constraintChecks = result.statistics.awrs.checks
                probe.details.rejections = result.statistics.awrs.rejections
                probe.details.fullMasks = result.statistics.awrs.fullMasks
                probe.details.smc = SMCSummary(
                    particles: result.particles.map { ($0.tokens, $0.weight, $0.logWeight, $0.status.rawValue) },
                    logMarginalLikelihood: result.logMarginalLikelihood, resamplings: result.statistics.resamplings)
            }
        }
    }

    /// Speculative decoding with the target's sampling parameters.
    func speculative(source: SpeculativeArguments.Source, tree: TreeShape, adaptive: Bool,
                     draftModel: (any LanguageModel)?, collector: SpeculativeStatisticsCollector) throws -> ObservedStrategy {
        let drafter: SpeculativeConfiguration.DrafterKind
        switch source {
        case .ngram: drafter = .ngram(minimumOrder: 1, maximumOrder: 4)
        case .model, .layerSkip: drafter = .model
        }
        let configuration = SpeculativeConfiguration(drafter: drafter, tree: tree, adaptiveBudget: adaptive,
                                                     sampling: parameters)
        let strategy = try SpeculativeStrategy(target: model, configuration: configuration, draftModel: draftModel,
                                               collector: collector)
        return ObservedStrategy(name: "speculative", base: strategy, probe: probe)
    }
}
