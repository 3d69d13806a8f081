import Decoding
import Speculative

/// Shared pieces of the strategy tests: models, drafters, sampling settings and a decoding loop.
enum StrategyFixture {
    static let vocabulary = 5
    static let target = OracleModel(oracle: Oracle(vocabularySize: vocabulary, salt: 1, sharpness: 2.5))
    static let close = OracleModel(oracle: Oracle(vocabularySize: vocabulary, salt: 7, sharpness: 2.5))
    static let adversarial = OracleModel(oracle: Oracle(vocabularySize: vocabulary, salt: 99, sharpness: 6))
    /// A prompt with repeats, so prompt lookup finds matches.
    static let prompt = [0, 1, 2, 3, 0, 1, 3, 4, 0, 1, 2, 0, 1]

    enum DraftSource: String, CaseIterable, Sendable {
        /// `temperedModel`: the close model with a context-dependent ``DraftDistribution/confidence``,
        /// so an adaptive budget's tree shapes depend on the context through the values only.
        case ngram, closeModel, identicalModel, adversarialModel, temperedModel
    }

    enum Sampling: String, CaseIterable, Sendable {
        case plain, truncated
        func parameters(seed: UInt64) -> SamplingParameters {
            switch self {
            case .plain: return SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0, seed: seed)
            case .truncated: return SamplingParameters(temperature: 0.7, topK: 3, topP: 1, minP: 0, seed: seed)
            }
        }
    }

    /// Fixed costs making the planner's choice depend on the drafts: a plain step costs 1, as does
    /// a one-node tree; each draft node below it 0.3 more.
    static func fixedPlanner(maximumNodes: Int) throws -> TreeBudgetPlanner {
        try TreeBudgetPlanner(maximumNodes: maximumNodes, plainSeconds: 1, relativeSlope: 0.3, learnsFromSteps: false)
    }

    static func strategy(_ source: DraftSource, tree: TreeShape, adaptive: Bool = false,
                         parameters: SamplingParameters) throws -> SpeculativeStrategy {
        var draftParameters = parameters
        if parameters.temperature == 0 { draftParameters.temperature = 1 }
        let transform = try ProbabilityTransform(parameters: draftParameters)
        let drafter: any Drafter
        switch source {
        case .ngram: drafter = try NGramDrafter(minimumOrder: 1, maximumOrder: 3)
        case .closeModel: drafter = try ModelDrafter(model: close, targetVocabularySize: vocabulary, transform: transform)
        case .identicalModel: drafter = try ModelDrafter(model: target, targetVocabularySize: vocabulary, transform: transform)
        case .adversarialModel:
            drafter = try ModelDrafter(model: adversarial, targetVocabularySize: vocabulary, transform: transform)
        case .temperedModel:
            drafter = TemperedDrafter(try ModelDrafter(model: close, targetVocabularySize: vocabulary, transform: transform))
        }
        var planner: TreeBudgetPlanner?
        if adaptive { planner = try fixedPlanner(maximumNodes: tree.maximumNodes) }
        return try SpeculativeStrategy(target: target, drafter: drafter, tree: tree, planner: planner, sampling: parameters)
    }

    /// Runs `strategy` from `prompt` until `count` tokens are emitted.
    static func generate(_ strategy: inout SpeculativeStrategy, count: Int, prompt: [Int] = prompt,
                         model: OracleModel = target) throws -> (tokens: [Int], steps: [DecodingStep], session: any ModelSession) {
        var session = try model.makeSession(prompt: prompt)
        var tokens: [Int] = []
        var steps: [DecodingStep] = []
        while tokens.count < count {
            let step = try strategy.step(&session, context: StepContext(model: model, remainingTokens: count - tokens.count))
            tokens += step.tokens
            steps.append(step)
        }
        return (tokens, steps, session)
    }

    /// The target's next-token distribution after `context` under `parameters`, computed with the
    /// Decoding module's own chain and softmax (independent of the Speculative module's code).
    static func plainProbabilities(_ context: [Int], parameters: SamplingParameters) -> [Double] {
        do {
            var chain = try parameters.makeChain()
            var logits = try Logits(target.logits(context))
            try chain.apply(to: &logits, history: context)
            return logits.probabilities.map { Double($0) }
        } catch {
            preconditionFailure("test fixture: \(error)")
        }
    }
}

/// Generates after `prompt` with `strategy` and returns the result with the statistics of the
/// strategy as the generation left it.
func runSpeculative(model: any LanguageModel, strategy: SpeculativeStrategy, prompt: [Int],
                    maxTokens: Int) throws -> (GenerationResult, SpeculativeStatistics) {
    var iterator = try Generator(model: model, strategy: strategy, maxTokens: maxTokens).makeIterator(prompt: prompt)
    while let event = try iterator.next() {
        if case .finished(let result) = event { return (result, iterator.strategy.statistics) }
    }
    preconditionFailure("a generation iterator always ends with a finished event")
}
