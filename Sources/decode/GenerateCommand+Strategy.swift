import ArgumentParser
import Constraints
import Decoding
import Foundation
import GGUF
import Speculative
import Strategies
import Transformer

extension GenerateCommand {
    /// The strategy to run: `--strategy` in the strategy language, else the `--constrain`
    /// method under a constraint, else `sample`.
    ///
    /// - Throws: `ValidationError` when `--strategy` and `--constrain` both choose one.
    func strategySpecification() throws -> StrategySpecification {
        if let chosen = try sampling.chosenStrategy() {
            if let method = constraints.constrain {
                throw ValidationError("--strategy \(chosen) and --constrain \(method.rawValue) both choose the strategy; give one.")
            }
            return chosen
        }
        return constraints.isConstrained ? constraints.specification : StrategySpecification(.sample)
    }

    /// Refuses, before the model loads, what the library does not compose yet (the library's sentence).
    func checkStrategy() throws {
        let specification = try strategySpecification()
        try constraints.checkSMCFlags(for: specification)
        if case .smc = specification.kind, sampling.temperature == 0 {
            throw ValidationError("\(specification) with --temp 0: \(ConstrainedSamplingError.greedySMC).")
        }
        do {
            try StrategyRegistry.checkComposition(specification, constrained: constraints.isConstrained,
                                                  speculative: speculation.isSpeculative)
        } catch {
            throw ValidationError("\(error).")
        }
    }

    /// The strategy `specification` names, built by the library's registry (or speculative
    /// decoding with the target's sampling parameters), observed by `probe`.
    func makeStrategy(_ specification: StrategySpecification, context: StrategyContext, parameters: SamplingParameters,
                      model: any LanguageModel, probe: StrategyProbe,
                      collector: SpeculativeStatisticsCollector) throws -> ObservedStrategy {
        guard let source = try speculation.source() else {
            let strategy = try StrategyRegistry.makeStrategy(specification, context: context)
            return ObservedStrategy(name: specification.name, base: strategy, probe: probe) { base, probe in
                probe.details.read(base)
            }
        }
        guard let model = model as? LlamaModel else {
            throw ValidationError("--speculative drafts with the built-in runtime; it does not run with --remote.")
        }
        let tree = try speculation.treeShape()
        let drafter: SpeculativeConfiguration.DrafterKind
        var draftModel: LlamaModel?
        switch source {
        case .ngram:
            drafter = .ngram(minimumOrder: 1, maximumOrder: 4)
        case .model(let path):
            drafter = .model
            draftModel = try LlamaModel(file: try GGUFFile(contentsOf: URL(fileURLWithPath: path)),
                                        threads: modelArguments.threads, logger: modelArguments.logger)
        case .layerSkip(let layers):
            drafter = .model
            draftModel = try model.earlyExit(layers: layers)
        }
        let configuration = SpeculativeConfiguration(drafter: drafter, tree: tree.shape, adaptiveBudget: tree.adaptive,
                                                     sampling: parameters)
        let strategy = try SpeculativeStrategy(target: model, configuration: configuration, draftModel: draftModel,
                                               collector: collector)
        return ObservedStrategy(name: "speculative", base: strategy, probe: probe)
    }
}

extension StrategyDetails {
    /// Copies the constrained strategies' own counts (LCD's mask cache, AWRS's checks, SMC's
    /// particles) out of `strategy`; other strategies leave the details as they are.
    mutating func read(_ strategy: any DecodingStrategy) {
        read(strategy, as: RegexConstraint.self)
        read(strategy, as: GrammarConstraint.self)
    }

    private mutating func read<C: Constraint>(_ strategy: any DecodingStrategy, as: C.Type) {
        if let lcd = strategy as? LocallyConstrainedStrategy<C, CategoricalSampler>,
           let mask = lcd.chain.processors.first as? ConstraintMask<C> {
            maskCacheHits = mask.maskCacheHits
        } else if let awrs = strategy as? AWRSStrategy<C> {
            constraintChecks = awrs.statistics.checks
            rejections = awrs.statistics.rejections
            fullMasks = awrs.statistics.fullMasks
        } else if let smc = strategy as? SMCStrategy<C>, let result = smc.lastResult {
            constraintChecks = result.statistics.awrs.checks
            rejections = result.statistics.awrs.rejections
            fullMasks = result.statistics.awrs.fullMasks
            self.smc = SMCSummary(
                particles: result.particles.map { ($0.tokens, $0.weight, $0.logWeight, $0.status.rawValue) },
                logMarginalLikelihood: result.logMarginalLikelihood, resamplings: result.statistics.resamplings)
        }
    }
}
