import Decoding
import Speculative
import Testing

/// End-to-end speculative decoding on an exact tiny model: the distribution of the first three
/// emitted tokens equals plain sampling's (enumerated with the Decoding module's chain), for every
/// drafter and tree shape, adaptive budgets included.
struct SpeculativeStrategyTests {
    typealias Fixture = StrategyFixture

    static let shapes: [(TreeShape, Bool)] = [
        (.chain(length: 3), false), (.staticTree(branching: [3, 2, 1]), false),
        (.dynamic(budget: 8, depth: 4), false), (.dynamic(budget: 8, depth: 4), true),
    ]

    struct Case: CustomTestStringConvertible, Sendable {
        let source: Fixture.DraftSource
        let shape: TreeShape
        let adaptive: Bool
        let sampling: Fixture.Sampling
        var testDescription: String { "\(source) \(shape)\(adaptive ? " adaptive" : "") \(sampling)" }
    }

    static let cases: [Case] = Fixture.DraftSource.allCases.flatMap { source in
        shapes.map { Case(source: source, shape: $0.0, adaptive: $0.1, sampling: .plain) }
    } + Fixture.DraftSource.allCases.map {
        Case(source: $0, shape: .dynamic(budget: 8, depth: 4), adaptive: false, sampling: .truncated)
    }

    @Test("speculative decoding samples exactly the target's distribution", arguments: cases)
    func exactness(_ testCase: Case) throws {
        let runs = 4000
        var histogram: [[Int]: Int] = [:]
        for seed in 0..<UInt64(runs) {
            var strategy = try Fixture.strategy(testCase.source, tree: testCase.shape, adaptive: testCase.adaptive,
                                                parameters: testCase.sampling.parameters(seed: seed))
            let result = try Fixture.generate(&strategy, count: 3)
            histogram[result.tokens, default: 0] += 1
        }
        let exact = exactSequences(length: 3, vocabularySize: Fixture.vocabulary, prompt: Fixture.prompt) {
            Fixture.plainProbabilities($0, parameters: testCase.sampling.parameters(seed: 0))
        }
        let comparison = Comparison(histogram: histogram, exact: exact, samples: runs)
        print("strategy exactness \(testCase.testDescription): \(comparison)")
        #expect(comparison.chiSquare < comparison.chiSquareBound, "\(comparison)")
        #expect(comparison.totalVariation < comparison.totalVariationBound, "\(comparison)")
    }

    @Test("greedy speculative output equals greedy plain output", arguments: Fixture.DraftSource.allCases,
          [TreeShape.chain(length: 4), .staticTree(branching: [4, 2, 2, 1, 1]), .dynamic(budget: 12, depth: 6)])
    func greedy(source: Fixture.DraftSource, shape: TreeShape) throws {
        let count = 30
        var plain = try SamplingParameters.greedy.makeStrategy()
        var session = try Fixture.target.makeSession(prompt: Fixture.prompt)
        var expected: [Int] = []
        while expected.count < count {
            expected += try plain.step(&session, context: StepContext(model: Fixture.target, remainingTokens: count - expected.count)).tokens
        }
        var strategy = try Fixture.strategy(source, tree: shape, parameters: .greedy)
        #expect(try Fixture.generate(&strategy, count: count).tokens == expected)
    }

    @Test("draft = target accepts the whole drafted path every step",
          arguments: [TreeShape.chain(length: 3), .staticTree(branching: [2, 2, 1]), .staticTree(branching: [4, 2, 2, 1, 1])])
    func identicalDraft(shape: TreeShape) throws {
        for seed in 0..<20 as Range<UInt64> {
            var strategy = try Fixture.strategy(.identicalModel, tree: shape, parameters: Fixture.Sampling.plain.parameters(seed: seed))
            let result = try Fixture.generate(&strategy, count: 40)
            // Every step but the last (cut by the token allowance) accepts a root-to-leaf path and adds a bonus.
            for step in result.steps.dropLast() {
                #expect(step.tokens.count == shape.maximumDepth + 1)
            }
            let statistics = strategy.statistics
            for depth in 0..<shape.maximumDepth {
                #expect(statistics.acceptedAtDepth[depth] >= statistics.steps - 1)
            }
        }
    }

    @Test("seeded runs are deterministic", arguments: Fixture.DraftSource.allCases)
    func deterministic(source: Fixture.DraftSource) throws {
        let parameters = Fixture.Sampling.plain.parameters(seed: 7)
        var a = try Fixture.strategy(source, tree: .dynamic(budget: 8, depth: 4), adaptive: true, parameters: parameters)
        var b = try Fixture.strategy(source, tree: .dynamic(budget: 8, depth: 4), adaptive: true, parameters: parameters)
        let first = try Fixture.generate(&a, count: 40)
        let second = try Fixture.generate(&b, count: 40)
        #expect(first.tokens == second.tokens)
        #expect(a.statistics.draftedNodes == b.statistics.draftedNodes)
    }

    @Test("the session keeps exactly the emitted tokens; a stop token ends the step unevaluated")
    func sessionHoldsAcceptedPath() throws {
        var strategy = try Fixture.strategy(.closeModel, tree: .dynamic(budget: 8, depth: 4),
                                            parameters: Fixture.Sampling.plain.parameters(seed: 3))
        var session = try Fixture.target.makeSession(prompt: Fixture.prompt)
        var emitted: [Int] = []
        for _ in 0..<10 {
            let step = try strategy.step(&session, context: StepContext(model: Fixture.target, remainingTokens: 100))
            emitted += step.tokens
            #expect(step.lastTokenEvaluated)
            #expect(session.tokens == Fixture.prompt + emitted)
        }
        // With token 2 as end of sequence, a step stops right after it and leaves it unevaluated.
        let stopping = OracleModel(oracle: Fixture.target.oracle, specialTokens: SpecialTokens(eos: 2))
        var stopStrategy = try SpeculativeStrategy(
            target: stopping, drafter: ModelDrafter(model: stopping, targetVocabularySize: 5, transform: .softmax),
            tree: .chain(length: 6), sampling: Fixture.Sampling.plain.parameters(seed: 1))
        var stopSession = try stopping.makeSession(prompt: Fixture.prompt)
        for _ in 0..<50 {
            let before = stopSession.tokens
            let step = try stopStrategy.step(&stopSession, context: StepContext(model: stopping, remainingTokens: 3))
            #expect(step.tokens.count <= 3)
            #expect(step.tokens.dropLast().allSatisfy { $0 != 2 })
            if !step.lastTokenEvaluated {
                #expect(stopSession.tokens == before + step.tokens.dropLast())
                break
            }
        }
    }

    @Test("a drafter with another vocabulary is a typed error naming both sizes")
    func vocabularyMismatch() throws {
        let other = OracleModel(oracle: Oracle(vocabularySize: 7, salt: 3, sharpness: 1))
        #expect(throws: SpeculativeError.vocabularyMismatch(target: 5, draft: 7)) {
            try ModelDrafter(model: other, targetVocabularySize: 5, transform: .softmax)
        }
        #expect(throws: SpeculativeError.vocabularyMismatch(target: 5, draft: 7)) {
            try SpeculativeStrategy(target: Fixture.target, configuration: SpeculativeConfiguration(drafter: .model),
                                    draftModel: other)
        }
        #expect(throws: SpeculativeError.missingDraftModel) {
            try SpeculativeStrategy(target: Fixture.target, configuration: SpeculativeConfiguration(drafter: .model))
        }
    }

    @Test("bad budgets, depths and branchings are typed errors", arguments: [
        (TreeShape.dynamic(budget: 0, depth: 4), SpeculativeError.invalidBudget(0, limit: TreeShape.nodeLimit)),
        (.dynamic(budget: -3, depth: 4), .invalidBudget(-3, limit: TreeShape.nodeLimit)),
        (.dynamic(budget: 1_000_000, depth: 4), .invalidBudget(1_000_000, limit: TreeShape.nodeLimit)),
        (.dynamic(budget: 8, depth: 0), .invalidDepth(0, limit: TreeShape.depthLimit)),
        (.dynamic(budget: 8, depth: 500), .invalidDepth(500, limit: TreeShape.depthLimit)),
        (.chain(length: 0), .invalidDepth(0, limit: TreeShape.depthLimit)),
        (.chain(length: -1), .invalidDepth(-1, limit: TreeShape.depthLimit)),
        (.staticTree(branching: []), .invalidDepth(0, limit: TreeShape.depthLimit)),
        (.staticTree(branching: [4, 0, 2]), .invalidBranching(0, depth: 1, limit: TreeShape.branchingLimit)),
        (.staticTree(branching: [64, 64, 64]), .treeTooLarge(nodes: 4160, limit: TreeShape.nodeLimit)),
    ])
    func badShapes(shape: TreeShape, error: SpeculativeError) throws {
        #expect(throws: error) {
            try SpeculativeStrategy(target: Fixture.target, configuration: SpeculativeConfiguration(tree: shape))
        }
    }

    @Test("bad n-gram orders and sampling parameters are typed errors")
    func badConfiguration() throws {
        #expect(throws: SpeculativeError.invalidNGramOrder(minimum: 0, maximum: 3, limit: NGramDrafter.orderLimit)) {
            try SpeculativeStrategy(target: Fixture.target, configuration: SpeculativeConfiguration(drafter: .ngram(minimumOrder: 0, maximumOrder: 3)))
        }
        #expect(throws: SpeculativeError.invalidNGramOrder(minimum: 4, maximum: 2, limit: NGramDrafter.orderLimit)) {
            try NGramDrafter(minimumOrder: 4, maximumOrder: 2)
        }
        #expect(throws: SamplingError.self) {
            try SpeculativeStrategy(target: Fixture.target,
                                    configuration: SpeculativeConfiguration(sampling: SamplingParameters(temperature: -1)))
        }
    }

    @Test("a full context window falls back to plain steps")
    func contextFull() throws {
        let small = OracleModel(oracle: Fixture.target.oracle, contextLength: 15)
        var strategy = try SpeculativeStrategy(
            target: small, drafter: ModelDrafter(model: small, targetVocabularySize: 5, transform: .softmax),
            tree: .chain(length: 5), sampling: Fixture.Sampling.plain.parameters(seed: 2))
        let result = try Fixture.generate(&strategy, count: 2, model: small)
        #expect(result.session.count <= 15)
        #expect(result.tokens.count == 2)
    }
}
