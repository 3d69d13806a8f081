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
    /// decoding with the target's sampling parameters), with its readable name.
    func makeStrategy(_ specification: StrategySpecification, context: StrategyContext, parameters: SamplingParameters,
                      model: LlamaModel) throws -> (name: String, strategy: any DecodingStrategy) {
        guard let source = try speculation.source() else {
            return (specification.name, try StrategyRegistry.makeStrategy(specification, context: context))
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
        return ("speculative", try SpeculativeStrategy(target: model, configuration: configuration, draftModel: draftModel))
    }
}
