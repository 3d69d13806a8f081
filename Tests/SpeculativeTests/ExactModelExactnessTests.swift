import Decoding
import DecodingTestSupport
import Speculative
import Testing

/// The exactness claim on the shared exact test model (`DecodingTestSupport.ExactTestModel`),
/// driven through the Decoding module's `Generator`: for every drafter and tree shape, the
/// distribution of the first three generated tokens (shorter when EOS comes first) equals the
/// model's exact continuation distribution, enumerated by the test model itself.
struct ExactModelExactnessTests {
    static let target = ExactTestModel(vocabularySize: 6, order: 2, seed: 3, spread: 4)
    static let otherDraft = ExactTestModel(vocabularySize: 6, order: 2, seed: 11, spread: 4)
    static let adversarialDraft = ExactTestModel(vocabularySize: 6, order: 1, seed: 29, spread: 12)
    static let prompt = [0, 1, 2, 3, 0, 1, 3, 4, 0, 1, 2, 0, 1]

    enum Source: String, CaseIterable, Sendable { case ngram, otherModel, sameModel, adversarialModel }

    struct Case: CustomTestStringConvertible, Sendable {
        let source: Source
        let shape: TreeShape
        let adaptive: Bool
        var testDescription: String { "\(source) \(shape)\(adaptive ? " adaptive" : "")" }
    }

    static let shapes: [(TreeShape, Bool)] = [
        (.chain(length: 3), false), (.staticTree(branching: [4, 2, 2, 1, 1]), false),
        (.dynamic(budget: 8, depth: 4), false), (.dynamic(budget: 16, depth: 6), true),
    ]
    static let cases = Source.allCases.flatMap { source in shapes.map { Case(source: source, shape: $0.0, adaptive: $0.1) } }
    static let sampling = SamplingParameters(temperature: 0.9, topK: 0, topP: 1, minP: 0)

    static func drafter(_ source: Source) throws -> any Drafter {
        let transform = try ProbabilityTransform(parameters: sampling)
        switch source {
        case .ngram: return try NGramDrafter(minimumOrder: 1, maximumOrder: 3)
        case .otherModel: return try ModelDrafter(model: otherDraft, targetVocabularySize: 6, transform: transform)
        case .sameModel: return try ModelDrafter(model: target, targetVocabularySize: 6, transform: transform)
        case .adversarialModel: return try ModelDrafter(model: adversarialDraft, targetVocabularySize: 6, transform: transform)
        }
    }

    @Test("first three tokens match the exact distribution", arguments: cases)
    func exactness(_ testCase: Case) throws {
        let runs = 4000
        var histogram: [[Int]: Int] = [:]
        for seed in 0..<UInt64(runs) {
            var parameters = Self.sampling
            parameters.seed = seed
            let planner = testCase.adaptive ? try StrategyFixture.fixedPlanner(maximumNodes: testCase.shape.maximumNodes) : nil
            let strategy = try SpeculativeStrategy(target: Self.target, drafter: Self.drafter(testCase.source),
                                                   tree: testCase.shape, planner: planner, sampling: parameters)
            let result = try Generator(model: Self.target, strategy: strategy, maxTokens: 3).run(prompt: Self.prompt)
            histogram[result.tokens, default: 0] += 1
        }
        let exact = try Self.target.continuationDistribution(after: Self.prompt, length: 3, chain: Self.sampling.makeChain())
        let comparison = Comparison(histogram: histogram, exact: exact, samples: runs)
        print("exact-model exactness \(testCase.testDescription): \(comparison)")
        #expect(comparison.chiSquare < comparison.chiSquareBound, "\(comparison)")
        #expect(comparison.totalVariation < comparison.totalVariationBound, "\(comparison)")
    }

    @Test("greedy through the Generator equals plain greedy", arguments: Source.allCases)
    func greedy(source: Source) throws {
        let plain = try Generator(model: Self.target, strategy: SamplingParameters.greedy.makeStrategy(), maxTokens: 40)
            .run(prompt: Self.prompt)
        let (speculative, statistics) = try runSpeculative(
            model: Self.target,
            strategy: SpeculativeStrategy(target: Self.target, drafter: Self.drafter(source),
                                          tree: .dynamic(budget: 12, depth: 5), sampling: .greedy),
            prompt: Self.prompt, maxTokens: 40)
        #expect(speculative.tokens == plain.tokens)
        #expect(speculative.stopReason == plain.stopReason)
        #expect(statistics.steps == speculative.statistics.steps)
        #expect(statistics.emittedTokens == speculative.tokens.count)
        #expect(statistics.acceptedTokens + statistics.steps == statistics.emittedTokens)
        if source == .sameModel { #expect(statistics.acceptedTokens > statistics.steps, "draft = target accepts many per step") }
    }
}
