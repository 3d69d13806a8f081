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
    /// method under a constraint, else `sample`; under a constraint a strategy that is not
    /// constrained by itself runs in locally constrained form (`+lcd`), and `--speculative`
    /// adds its drafter (`+draft:ngram`, or `+draft:model` for a model or layer-skip draft).
    ///
    /// - Throws: `ValidationError` when `--strategy` and `--constrain` both choose one, or
    ///   `--strategy` has a drafter and `--speculative` gives another.
    func strategySpecification() throws -> StrategySpecification {
        var specification: StrategySpecification
        if let chosen = try sampling.chosenStrategy() {
            if let method = constraints.constrain {
                throw ValidationError("--strategy \(chosen) and --constrain \(method.rawValue) both choose the strategy; give one.")
            }
            specification = chosen
        } else {
            specification = constraints.isConstrained ? constraints.specification : StrategySpecification(.sample)
        }
        if constraints.isConstrained && !specification.needsConstraint {
            specification = StrategySpecification(specification.kind, constrained: true, drafter: specification.drafter)
        }
        if let source = try speculation.source() {
            if let drafter = specification.drafter {
                throw ValidationError("--strategy \(specification) and --speculative \(speculation.speculative ?? "") both give the drafter (+draft:\(drafter.rawValue)); give one.")
            }
            specification.drafter = source == .ngram ? .ngram : .model
        }
        return specification
    }

    /// Refuses, before the model loads, what the library cannot compose (the library's sentence).
    func checkStrategy() throws {
        let specification = try strategySpecification()
        try constraints.checkSMCFlags(for: specification)
        if case .smc = specification.kind, sampling.temperature == 0 {
            throw ValidationError("\(specification) with --temp 0: \(ConstrainedSamplingError.greedySMC).")
        }
        do {
            try StrategyRegistry.checkComposition(specification, constrained: constraints.isConstrained)
        } catch {
            throw ValidationError("\(error).")
        }
    }

    /// The strategy `specification` names, built by the library's registry (with the draft
    /// model `--speculative` names, and its tree), with its readable name (the canonical text).
    func makeStrategy(_ specification: StrategySpecification, context: StrategyContext,
                      model: any LanguageModel) throws -> (name: String, strategy: any DecodingStrategy) {
        var context = context
        if specification.isSpeculative {
            // `--strategy …+draft:…` drafts the tree `--speculative` would (an auto budget by default).
            let tree = try speculation.treeShape()
            context.tree = tree.shape
            context.adaptiveBudget = tree.adaptive
        }
        if let source = try speculation.source() {
            switch source {
            case .ngram:
                break
            case .model(let path):
                context.draftModel = try LlamaModel(file: try GGUFFile(contentsOf: URL(fileURLWithPath: path)),
                                                    threads: modelArguments.threads, logger: modelArguments.logger)
            case .layerSkip(let layers):
                guard let model = model as? LlamaModel else {
                    throw ValidationError("--speculative drafts with the built-in runtime; it does not run with --remote.")
                }
                context.draftModel = try model.earlyExit(layers: layers)
            }
        }
        return (specification.description, try StrategyRegistry.makeStrategy(specification, context: context))
    }
}
