import Decoding
import DecodingTestSupport
import Foundation
import GGUF
import Serving
import Synchronization
import Testing

/// Chunked prefill: joining prompts are evaluated a chunk per step in the same model call as
/// the running generations' next tokens. On the real model every token's logits are the same
/// bits in any batch or chunk, so chunking changes no output; on the exact model the running
/// generations keep advancing while a long prompt prefills.
struct ChunkedPrefillTests {
    @Test(.enabled(if: DefaultModel.modelTestsEnabled))
    func aMixedBatchGivesEachSessionItsOwnLogits() throws {
        let model = try ServedModelFixture.served.model
        let running = try model.makeSession(prompt: [1, 2, 3, 4, 5])
        let continuing = try model.makeSession(prompt: [9, 8, 7])
        let started = try model.evaluateBatch(appending: [[42], [11, 12, 13, 14]], to: [running, continuing],
                                              starting: [[100, 200, 300], [7]])
        let expected = [[1, 2, 3, 4, 5, 42], [9, 8, 7, 11, 12, 13, 14], [100, 200, 300], [7]]
        for (session, tokens) in zip([running, continuing] + started, expected) {
            let alone = try model.makeSession(prompt: tokens)
            #expect(session.tokens == tokens)
            #expect(session.logits == alone.logits, "\(tokens)")
            #expect(session.hiddenState == alone.hiddenState, "\(tokens)")
        }
        // A bad run changes no session.
        #expect(throws: LanguageModelError.emptyPrompt) {
            _ = try model.evaluateBatch(appending: [[1], []], to: [running, continuing], starting: [])
        }
        #expect(running.tokens == expected[0] && continuing.tokens == expected[1])
    }

    @Test(.enabled(if: DefaultModel.modelTestsEnabled))
    func chunkedPrefillGivesTheUnchunkedTokens() async throws {
        let served = try ServedModelFixture.served
        let long = try served.tokenizer.encode(
            String(repeating: "The history of the city of Paris begins with a small settlement on an island. ", count: 6),
            parseSpecial: true, addBOS: served.tokenizer.addsBOSByDefault)
        let short = try served.tokenizer.encode("Once upon a time", parseSpecial: true,
                                                addBOS: served.tokenizer.addsBOSByDefault)
        #expect(long.count > 60)
        func solo(_ prompt: [Int]) throws -> [Int] {
            try Generator(model: served.model, strategy: SamplingParameters.greedy.makeStrategy(),
                          decoder: served.tokenDecoder, maxTokens: 12).run(prompt: prompt).tokens
        }
        for chunk in [7, 64] {
            let scheduler = try BatchScheduler(model: served.model, decoder: served.tokenDecoder,
                                               configuration: SchedulerConfiguration(prefillChunk: chunk))
            defer { scheduler.shutdown() }
            // The short prompt joins first and decodes while the long one prefills beside it.
            let tickets = try [short, long].map { prompt in
                try scheduler.submit([GenerationJob(prompt: prompt, strategy: try SamplingParameters.greedy.makeStrategy(),
                                                    isTokenByToken: true, maxTokens: 12)])
            }
            for (ticket, prompt) in zip(tickets, [short, long]) {
                let events = try await BatchSchedulerTests.collect(ticket, choices: 1)[0]
                #expect(BatchSchedulerTests.completion(events)?.tokens == (try solo(prompt)), "chunk \(chunk)")
            }
            let statistics = scheduler.currentStatistics
            #expect(statistics.prefillTokens == short.count + long.count)
            #expect(statistics.batches >= (short.count + long.count + chunk - 1) / chunk)
        }
    }

    @Test func decodesContinueWhileALongPromptPrefills() async throws {
        let model = ExactTestModel(vocabularySize: 12, contextLength: 128)
        let chunk = 4
        let scheduler = try BatchScheduler(model: model, decoder: model,
                                           configuration: SchedulerConfiguration(prefillChunk: chunk))
        defer { scheduler.shutdown() }
        let steps = StepCounter()
        let long = (0..<40).map { 1 + $0 % 9 }
        // One request, so both join at the same step: a one-token prompt that then generates 60
        // tokens (end of sequence banned), and a 40-token prompt prefilled 4 tokens a step.
        let running = GenerationJob(
            prompt: [1], strategy: CountedStrategy(counter: steps, base: try BatchSchedulerTests.sampling(seed: 1, banning: [model.eos])),
            isTokenByToken: true, maxTokens: 60)
        let joining = GenerationJob(prompt: long, strategy: FirstStepProbe(counter: steps, base: try BatchSchedulerTests.sampling(seed: 2)),
                                    isTokenByToken: true, maxTokens: 3)
        let events = try await BatchSchedulerTests.collect(try scheduler.submit([running, joining]), choices: 2)
        #expect(BatchSchedulerTests.completion(events[0])?.tokens.count == 60)
        #expect(BatchSchedulerTests.completion(events[1]) != nil)
        // The long prompt took ten steps; the other generation stepped in (at least) nine of them.
        #expect(steps.atFirstProbe >= long.count / chunk - 1, "\(steps.atFirstProbe)")
        #expect(scheduler.currentStatistics.prefillTokens == 1 + long.count)
    }
}

/// Counts the steps of one generation, and records the count when a probe first steps.
final class StepCounter: Sendable {
    private let steps = Atomic<Int>(0)
    private let probed = Atomic<Int>(-1)

    var count: Int { steps.load(ordering: .sequentiallyConsistent) }
    var atFirstProbe: Int { probed.load(ordering: .sequentiallyConsistent) }

    func step() { steps.add(1, ordering: .sequentiallyConsistent) }

    func probe() {
        _ = probed.compareExchange(expected: -1, desired: count, ordering: .sequentiallyConsistent)
    }
}

/// A strategy that counts its steps.
struct CountedStrategy: DecodingStrategy {
    let counter: StepCounter
    var base: any DecodingStrategy
    mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        counter.step()
        return try base.step(&session, context: context)
    }
}

/// A strategy that records the counter at its first step.
struct FirstStepProbe: DecodingStrategy {
    let counter: StepCounter
    var base: any DecodingStrategy
    mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        counter.probe()
        return try base.step(&session, context: context)
    }
}
