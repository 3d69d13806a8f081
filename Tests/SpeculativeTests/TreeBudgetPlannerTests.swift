import Decoding
import Speculative
import Testing

/// The hardware-aware budget: grows with good drafts, shrinks to plain decoding with bad ones,
/// calibrates on a real `LanguageModel` and refines from measured steps.
struct TreeBudgetPlannerTests {
    typealias Fixture = StrategyFixture

    @Test("the growth rule compares expected tokens per second")
    func growthRule() throws {
        var planner = try TreeBudgetPlanner(maximumNodes: 16, plainSeconds: 1, treeSeconds: { 0.3 + 0.15 * Double($0) })
        // Plain: 1 token / 1 s. Unseen sizes are forecast optimistically: 16 nodes of value 0.2
        // would give 4.2 tokens in 3.7 s.
        #expect(planner.shouldGrow(nodes: 0, valueSum: 0, nextKey: 0.2, draftSecondsPerNode: 0))
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
        // Certain drafts: 17 tokens / 3.7 s beats 1 token / 1 s.
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
            // The first step explores a tree; after that every step is plain.
            #expect(statistics.plainSteps == statistics.steps - 1)
            #expect(statistics.draftedNodes <= 16)
        }
    }

    @Test("calibration times every size on the model; refinement follows measurements")
    func calibration() throws {
        var planner = try TreeBudgetPlanner(maximumNodes: 12)
        #expect(planner.sizes == [1, 2, 4, 8, 12])
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
