import Decoding
import Speculative
import Testing

/// The hardware-aware budget: grows with good drafts, shrinks to plain decoding with bad ones,
/// calibrates on a real `LanguageModel` and refines from measured steps.
struct TreeBudgetPlannerTests {
    typealias Fixture = StrategyFixture

    @Test("the growth rule compares expected tokens per second")
    func growthRule() throws {
        // A step of B draft nodes evaluates B + 1 nodes (the previous step's last token rides along).
        var planner = try TreeBudgetPlanner(maximumNodes: 16, plainSeconds: 1, treeSeconds: { 0.7 + 0.3 * Double($0) })
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

    @Test("calibration times every size on the model; refinement follows measurements")
    func calibration() throws {
        var planner = try TreeBudgetPlanner(maximumNodes: 12)
        #expect(planner.sizes == [1, 2, 4, 8, 13], "tree sizes: up to 12 draft nodes below the previous token")
        #expect(!planner.isCalibrated)
        let session = try Fixture.target.makeSession(prompt: Fixture.prompt)
        try planner.calibrate(model: Fixture.target, session: session)
        #expect(planner.isCalibrated)
        #expect(session.tokens == Fixture.prompt, "calibration leaves the session unchanged")
        planner.record(nodes: 4, seconds: 1000)
        #expect((planner.treeSeconds[2] ?? 0) > 100)
        var fixed = try TreeBudgetPlanner(maximumNodes: 4, plainSeconds: 1, treeSeconds: { Double($0) }, learnsFromSteps: false)
        fixed.record(nodes: 4, seconds: 1000)
        #expect(fixed.treeSeconds[2] == 4)
        #expect(throws: SpeculativeError.invalidBudget(0, limit: TreeShape.nodeLimit)) { try TreeBudgetPlanner(maximumNodes: 0) }
    }

    @Test("with nothing to draft, steps append plainly: no tree evaluation, no calibration", arguments: [Float(0), Float(1)])
    func plainStepsWithoutDrafts(temperature: Float) throws {
        let model = OracleModel(oracle: Oracle(vocabularySize: Fixture.vocabulary, salt: 1, sharpness: 2.5))
        let parameters = SamplingParameters(temperature: temperature, topK: 0, topP: 1, minP: 0, seed: 5)
        var strategy = try SpeculativeStrategy(target: model, drafter: SilentDrafter(), tree: .dynamic(budget: 8, depth: 4),
                                               adaptiveBudget: true, sampling: parameters)
        let result = try Fixture.generate(&strategy, count: 30, model: model)
        #expect(model.treeCalls == 0, "a plain step goes through session.append")
        #expect(strategy.planner?.isCalibrated == false, "calibration waits for a draft")
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

    @Test("an adaptive strategy calibrates itself and stays exact in greedy mode")
    func selfCalibrating() throws {
        var configuration = SpeculativeConfiguration(drafter: .model, tree: .dynamic(budget: 8, depth: 4), adaptiveBudget: true)
        configuration.sampling = .greedy
        var strategy = try SpeculativeStrategy(target: Fixture.target, configuration: configuration, draftModel: Fixture.close)
        let result = try Fixture.generate(&strategy, count: 20)
        #expect(strategy.planner?.isCalibrated == true)
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
