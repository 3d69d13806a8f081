import Decoding
import Speculative
import Testing

/// The hardware-aware budget: grows with good drafts, shrinks to plain decoding with bad ones,
/// starts from a prior cost model and refines it from measured steps.
struct TreeBudgetPlannerTests {
    typealias Fixture = StrategyFixture

    @Test("the growth rule compares expected tokens per second")
    func growthRule() throws {
        // A step of B draft nodes evaluates B + 1 nodes (the previous step's last token rides along):
        // 1 + 0.3 B.
        var planner = try TreeBudgetPlanner(maximumNodes: 16, plainSeconds: 1, relativeSlope: 0.3)
        // Plain: 1 token / 1 s. Unseen sizes are forecast optimistically: 16 nodes of value 0.2
        // would give 4.2 tokens in 5.8 s, 4 nodes 1.8 tokens in 2.2 s, 1 node 1.2 in 1.3 s —
        // never better; but 2 nodes of 0.5 give 2 tokens in 1.6 s.
        #expect(!planner.shouldGrow(nodes: 0, valueSum: 0, nextKey: 0.2, draftSecondsPerNode: 0))
        #expect(planner.shouldGrow(nodes: 0, valueSum: 0, nextKey: 0.5, draftSecondsPerNode: 0))
        // Once a uniform-draft tree has been seen (5 nodes of 0.2, then nodes of 0.04), it does not.
        var observed: [(nodes: Int, valueSum: Double, nextKey: Double)] = []
        for m in 0..<16 {
            let sum: Double = m <= 5 ? 0.2 * Double(m) : 1 + 0.04 * Double(m - 5)
            let key: Double = m < 5 ? 0.2 : 0.04
            observed.append((nodes: m, valueSum: sum, nextKey: key))
        }
        planner.learn(observations: observed, finalNodes: 16, finalValueSum: 1.44)
        #expect(!planner.shouldGrow(nodes: 0, valueSum: 0, nextKey: 0.2, draftSecondsPerNode: 0))
        // … unless this step's drafts look much better than before.
        #expect(planner.shouldGrow(nodes: 0, valueSum: 0, nextKey: 0.9, draftSecondsPerNode: 0))
        // Certain drafts: 17 tokens / 5.8 s beats 1 token / 1 s.
        #expect(planner.shouldGrow(nodes: 0, valueSum: 0, nextKey: 1, draftSecondsPerNode: 0))
        #expect(planner.shouldGrow(nodes: 8, valueSum: 8, nextKey: 1, draftSecondsPerNode: 0))
        #expect(!planner.shouldGrow(nodes: 16, valueSum: 16, nextKey: 1, draftSecondsPerNode: 0), "budget cap")
        // Expensive drafting turns the same drafts off.
        #expect(!planner.shouldGrow(nodes: 0, valueSum: 0, nextKey: 1, draftSecondsPerNode: 10))
        // Diminishing values stop growth part-way.
        #expect(!planner.shouldGrow(nodes: 4, valueSum: 3, nextKey: 0.05, draftSecondsPerNode: 0))
    }

    @Test("bad drafts shrink to plain decoding; good drafts grow the tree", arguments: [false, true])
    func adaptsToDraftQuality(good: Bool) throws {
        let uniform = FunctionDrafter { _ in [Double](repeating: 0.2, count: 5) }
        // "Good": the target's own argmax with certainty.
        let certain = FunctionDrafter { context in
            let p = Fixture.target.oracle.probabilities(context)
            let best = p.indices.max { p[$0] < p[$1] }!
            return (0..<5).map { $0 == best ? 1 : 0 }
        }
        var strategy = try SpeculativeStrategy(
            target: Fixture.target, drafter: good ? certain : uniform, tree: .dynamic(budget: 16, depth: 6),
            planner: Fixture.fixedPlanner(maximumNodes: 16), sampling: .greedy)
        _ = try Fixture.generate(&strategy, count: 60)
        let statistics = strategy.statistics
        if good {
            #expect(statistics.plainSteps == 0)
            #expect(statistics.meanAcceptedPerStep > 4)
        } else {
            // At most the first step explores a tree; after that every step is plain.
            #expect(statistics.plainSteps >= statistics.steps - 1)
            #expect(statistics.draftedNodes <= 16)
        }
    }

    @Test("the expected gain must beat the cost: an empty tree otherwise", arguments: [
        (0.3, 0.25, false), (0.3, 0.35, true), (0.1, 0.15, true), (0.6, 0.5, false), (0, 0.01, true),
    ])
    func gainAgainstCost(slope: Double, key: Double, grows: Bool) throws {
        // A first node of value `key` yields 1 + key tokens for 1 + slope of cost (no history: the
        // forecast for more nodes is `key` each, which wins exactly when one node does).
        let planner = try TreeBudgetPlanner(maximumNodes: 8, plainSeconds: 0.01, relativeSlope: slope)
        #expect(planner.shouldGrow(nodes: 0, valueSum: 0, nextKey: key, draftSecondsPerNode: 0) == grows)
        #expect(abs(planner.stepSeconds(nodes: 4, draftSecondsPerNode: 0.001) - (0.01 * (1 + 4 * slope) + 0.004)) < 1e-12)
        #expect(planner.stepSeconds(nodes: 0, draftSecondsPerNode: 0.001) == 0.01)
    }

    @Test("the cost model starts from its prior and learns from the trees it evaluates")
    func costModel() throws {
        var planner = try TreeBudgetPlanner(maximumNodes: 12)
        #expect(planner.relativeSlope == TreeBudgetPlanner.priorRelativeSlope)
        #expect(planner.plainSeconds == nil)
        #expect(!planner.shouldGrow(nodes: 0, valueSum: 0, nextKey: 1, draftSecondsPerNode: 0), "no tree before a plain step was timed")
        planner.record(nodes: 0, seconds: 0.01)
        #expect(planner.plainSeconds == 0.01)
        #expect(planner.shouldGrow(nodes: 0, valueSum: 0, nextKey: 1, draftSecondsPerNode: 0))
        #expect(!planner.shouldGrow(nodes: 0, valueSum: 0, nextKey: 0.45, draftSecondsPerNode: 0), "the prior: a node costs half a step")
        // A tree of 9 nodes (8 below the root) measured at 1 + 0.2 · 8 plain steps: the mean with the prior.
        planner.record(nodes: 9, seconds: 0.026)
        #expect(abs(planner.relativeSlope - 0.35) < 1e-9)
        for _ in 0..<60 { planner.record(nodes: 5, seconds: 0.018) }
        #expect(abs(planner.relativeSlope - 0.2) < 1e-3)
        #expect(planner.shouldGrow(nodes: 0, valueSum: 0, nextKey: 0.45, draftSecondsPerNode: 0), "cheaper trees, same drafts")
        planner.record(nodes: 1, seconds: 5)
        #expect(abs(planner.relativeSlope - 0.2) < 1e-3, "a lone root says nothing about the slope")
        var fixed = try TreeBudgetPlanner(maximumNodes: 4, plainSeconds: 1, relativeSlope: 0.3, learnsFromSteps: false)
        fixed.record(nodes: 4, seconds: 1000)
        fixed.record(nodes: 0, seconds: 1000)
        #expect(fixed.relativeSlope == 0.3 && fixed.plainSeconds == 1)
        #expect(throws: SpeculativeError.invalidBudget(0, limit: TreeShape.nodeLimit)) { try TreeBudgetPlanner(maximumNodes: 0) }
        #expect(throws: SpeculativeError.invalidParameter(name: "plainSeconds", value: 0)) {
            try TreeBudgetPlanner(maximumNodes: 4, plainSeconds: 0, relativeSlope: 0.3)
        }
        #expect(throws: SpeculativeError.invalidParameter(name: "relativeSlope", value: -1)) {
            try TreeBudgetPlanner(maximumNodes: 4, plainSeconds: 1, relativeSlope: -1)
        }
    }

    @Test("with nothing to draft, steps append plainly: no tree evaluation", arguments: [Float(0), Float(1)])
    func plainStepsWithoutDrafts(temperature: Float) throws {
        let model = OracleModel(oracle: Oracle(vocabularySize: Fixture.vocabulary, salt: 1, sharpness: 2.5))
        let parameters = SamplingParameters(temperature: temperature, topK: 0, topP: 1, minP: 0, seed: 5)
        var strategy = try SpeculativeStrategy(target: model, drafter: SilentDrafter(), tree: .dynamic(budget: 8, depth: 4),
                                               adaptiveBudget: true, sampling: parameters)
        let result = try Fixture.generate(&strategy, count: 30, model: model)
        #expect(model.treeCalls == 0, "a plain step goes through session.append")
        #expect(strategy.planner?.plainSeconds != nil, "plain steps time themselves")
        #expect(strategy.statistics.plainSteps == strategy.statistics.steps)
        if temperature == 0 {
            var plain = try SamplingParameters.greedy.makeStrategy()
            var session = try model.makeSession(prompt: Fixture.prompt)
            var expected: [Int] = []
            while expected.count < 30 {
                expected += try plain.step(&session, context: StepContext(model: model, remainingTokens: 30 - expected.count)).tokens
            }
            #expect(result.tokens == expected)
        }
    }

    @Test("an adaptive strategy learns its costs and stays exact in greedy mode")
    func selfCalibrating() throws {
        var configuration = SpeculativeConfiguration(drafter: .model, tree: .dynamic(budget: 8, depth: 4), adaptiveBudget: true)
        configuration.sampling = .greedy
        var strategy = try SpeculativeStrategy(target: Fixture.target, configuration: configuration, draftModel: Fixture.close)
        let result = try Fixture.generate(&strategy, count: 20)
        #expect(strategy.planner?.plainSeconds != nil)
        var plain = try SamplingParameters.greedy.makeStrategy()
        var session = try Fixture.target.makeSession(prompt: Fixture.prompt)
        var expected: [Int] = []
        while expected.count < 20 {
            expected += try plain.step(&session, context: StepContext(model: Fixture.target, remainingTokens: 20 - expected.count)).tokens
        }
        #expect(result.tokens == expected)
    }
}

/// A drafter that never proposes anything (an n-gram drafter on text without repeats).
private final class SilentDrafter: Drafter {
    var vocabularySize: Int? { nil }
    var costPerDraftToken: Double { 0 }
    func synchronize(context: [Int]) throws {}
    func draftDistributions(after paths: [[Int]]) throws -> [DraftDistribution] { paths.map { _ in .empty } }
}
