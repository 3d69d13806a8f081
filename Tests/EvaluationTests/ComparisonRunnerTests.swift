import Decoding
import DecodingTestSupport
import Evaluation
import Search
import Strategies
import Testing

/// The comparison engine on the exact test model: a run continues the task's prefill and
/// counts it, a constrained strategy runs under the task's regex, failures of a run are
/// recorded (not thrown), verifier lists parse or give the library's sentence, and the plan
/// runs seedless strategies once and skips recorded runs.
@Suite("ComparisonRunner")
struct ComparisonRunnerTests {
    static func runner(_ model: ExactTestModel, verifiers: [VerifierSpecification] = [VerifierSpecification(.logprob)]) throws
        -> ComparisonRunner
    {
        let chain = try SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0, seed: 0).makeChain()
        let context = try StrategyContext(model: model, decoder: model, chain: chain, seed: 0)
        return ComparisonRunner(model: model, strategies: context, constrainedChain: chain, maxTokens: 6, verifiers: verifiers)
    }

    @Test("greedy continues the prefill: the same tokens as a fresh greedy run, the prefill counted once")
    func greedyRun() throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 2)
        let runner = try Self.runner(model)
        let task = try SearchTask(line: #"{"id":"t","prompt":"x","reference":"ab"}"#, number: 1)
        let prefill = try runner.prefill([0, 1])
        let record = try runner.run(StrategySpecification(.greedy), task: task, prefill: prefill, seed: 0)
        let greedy = SamplingStrategy(chain: LogitProcessorChain(), sampler: GreedySampler())
        let expected = try Generator(model: model, strategy: greedy, maxTokens: 6).run(prompt: [0, 1]).tokens
        #expect(record.tokens == expected)
        #expect(record.failure == nil)
        #expect(record.taskScore != nil)
        #expect(record.verifierScore.map { $0.isFinite && $0 <= 0 } == true, "the policy's log-probability")
        #expect(record.tokensEvaluated >= 2 + record.tokens.count - 1)
        #expect(record.strategy == "greedy" && record.task == "t")
    }

    @Test("lcd runs under the task's regex; on a task with none the run is a recorded failure")
    func constrainedRun() throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 3)
        let runner = try Self.runner(model, verifiers: [VerifierSpecification(.task)])
        let task = try SearchTask(line: #"{"id":"r","prompt":"x","regex":"[ab]{2,4}"}"#, number: 1)
        let prefill = try runner.prefill([0])
        for seed in UInt64(0)..<4 {
            let record = try runner.run(StrategySpecification(.lcd), task: task, prefill: prefill, seed: seed)
            #expect(record.failure == nil)
            let text = record.text
            #expect((2...4).contains(text.count) && text.allSatisfy { $0 == "a" || $0 == "b" }, "\(text)")
            #expect(record.taskScore == 1)
        }
        let plain = try SearchTask(line: #"{"id":"p","prompt":"x"}"#, number: 2)
        let failed = try runner.run(StrategySpecification(.lcd), task: plain, prefill: prefill, seed: 0)
        #expect(failed.failure?.contains("has no schema or regex") == true)
        #expect(failed.tokens.isEmpty)
        let unscored = try runner.run(StrategySpecification(.greedy), task: plain, prefill: prefill, seed: 0)
        #expect(unscored.failure?.contains("has no reference, schema or regex") == true, "the task verifier has nothing to check")
    }

    @Test("verifier lists: names and weights parse; an empty list, an unknown name and a bad weight are typed errors")
    func verifierLists() throws {
        #expect(try VerifierSpecification.parseList("task, judge:0.5") == [VerifierSpecification(.task), VerifierSpecification(.judge, weight: 0.5)])
        for bad in ["", " , ", "oracle", "task:x", "task:inf"] {
            #expect(throws: ComparisonError.self, "\(bad)") { try VerifierSpecification.parseList(bad) }
        }
        do {
            _ = try VerifierSpecification.parseList("oracle")
        } catch {
            #expect("\(error)" == "unknown verifier 'oracle'; valid verifiers: logprob, task, command, judge")
        }
    }

    @Test("the plan: seedless strategies run seed 0 only, recorded runs are skipped, covers() picks this run's records")
    func plan() throws {
        let tasks = try ["a", "b"].enumerated().map { try SearchTask(line: #"{"id":"\#($1)","prompt":"x"}"#, number: $0 + 1) }
        let strategies = [StrategySpecification(.greedy), StrategySpecification(.sample)]
        let recorded: Set<ComparisonKey> = [ComparisonKey(task: "a", strategy: "sample", seed: 1)]
        let plan = ComparisonPlan(tasks: tasks, strategies: strategies, seeds: 3, recorded: recorded)
        #expect(plan.runsPerTask.count == 4)
        #expect(plan.runsToDo == 7 && plan.runsSkipped == 1 && plan.tasksToDo == 2)
        #expect(!plan.items[0].runs.contains(ComparisonPlan.Run(strategy: StrategySpecification(.sample), seed: 1)))
        let record = { (strategy: String, seed: UInt64) in
            ComparisonRecord(strategy: strategy, task: "a", seed: seed, text: "", tokens: [], taskScore: nil, verifierScore: nil,
                             modelCalls: 0, tokensEvaluated: 0, seconds: 0)
        }
        #expect(plan.covers(record("sample", 2)) && !plan.covers(record("greedy", 1)) && !plan.covers(record("beam:2", 0)))
    }
}
