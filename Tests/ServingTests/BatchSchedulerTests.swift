import Decoding
import DecodingTestSupport
import Foundation
import Serving
import Strategies
import Testing

/// The scheduler on the exact test model: batched generations give exactly the tokens they
/// give alone, their appends really share `appendBatch` calls, the queue bound holds, and a
/// cancelled request leaves the batch.
struct BatchSchedulerTests {
    static func sampling(seed: UInt64, banning banned: Set<Int> = []) throws -> SamplingStrategy<CategoricalSampler> {
        try SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0, seed: seed, bannedTokens: banned).makeStrategy()
    }

    /// Every event of a ticket, per choice.
    static func collect(_ ticket: GenerationTicket, choices: Int) async throws -> [[ServedEvent]] {
        var events = [[ServedEvent]](repeating: [], count: choices)
        for try await update in ticket.updates { events[update.choice].append(update.event) }
        return events
    }

    static func completion(_ events: [ServedEvent]) -> ServedCompletion? {
        if case .finished(let completion)? = events.last { return completion }
        return nil
    }

    @Test func batchedGenerationsMatchSoloRunsAndShareBatches() async throws {
        let model = ExactTestModel(vocabularySize: 12, contextLength: 64)
        let scheduler = try BatchScheduler(model: model, decoder: model)
        defer { scheduler.shutdown() }
        let prompts = (0..<8).map { [1 + $0 % 5, 2, 3] }
        // Solo runs first, with the same strategies and limits.
        var expected: [[Int]] = []
        for (index, prompt) in prompts.enumerated() {
            let generator = try Generator(model: model, strategy: try Self.sampling(seed: UInt64(index)), decoder: model,
                                          maxTokens: 20, stopAtEndOfSequence: true)
            expected.append(try generator.run(prompt: prompt).tokens)
        }
        // The first request waits at a gate until every other one is queued, so they all share batches.
        let gate = Gate()
        defer { gate.open() }
        let tickets = try prompts.enumerated().map { index, prompt in
            let strategy = try Self.sampling(seed: UInt64(index))
            return try scheduler.submit([GenerationJob(
                prompt: prompt, strategy: index == 0 ? GatedStrategy(gate: gate, base: strategy) : strategy,
                isTokenByToken: true, maxTokens: 20)])
        }
        gate.open()
        for (index, ticket) in tickets.enumerated() {
            let events = try await Self.collect(ticket, choices: 1)[0]
            let completion = try #require(Self.completion(events))
            #expect(completion.tokens == expected[index], "request \(index)")
            let streamed = events.compactMap { event -> Int? in
                if case .token(let token) = event { return token.id }
                return nil
            }
            #expect(streamed == completion.tokens)
        }
        let statistics = scheduler.currentStatistics
        #expect(statistics.completed == prompts.count)
        #expect(statistics.active == 0 && statistics.queued == 0)
        // Queued together, the requests shared batches.
        #expect(statistics.batchedTokens > statistics.batches, "\(statistics)")
    }

    @Test func logprobsAreTheRawDistributionsAtEachPosition() async throws {
        let model = ExactTestModel(vocabularySize: 10, contextLength: 64)
        let scheduler = try BatchScheduler(model: model, decoder: model)
        defer { scheduler.shutdown() }
        let prompt = [1, 2]
        let ticket = try scheduler.submit([GenerationJob(prompt: prompt, strategy: try Self.sampling(seed: 3),
                                                         isTokenByToken: true, maxTokens: 8, logprobs: 3)])
        let events = try await Self.collect(ticket, choices: 1)[0]
        var context = prompt
        for event in events {
            guard case .token(let token) = event else { continue }
            let exact = model.probabilities(after: context)
            let logprob = try #require(token.logprob)
            #expect(abs(logprob - log(exact[token.id])) < 1e-4)
            let top = exact.indices.sorted { exact[$0] > exact[$1] }.prefix(3)
            #expect(token.topLogprobs.map(\.id) == Array(top))
            for alternative in token.topLogprobs {
                #expect(abs(alternative.logprob - log(exact[alternative.id])) < 1e-4)
            }
            context.append(token.id)
        }
    }

    @Test func choicesOfOneRequestUseTheirOwnSeeds() async throws {
        let model = ExactTestModel(vocabularySize: 12, contextLength: 64)
        let scheduler = try BatchScheduler(model: model, decoder: model)
        defer { scheduler.shutdown() }
        let jobs = try (0..<3).map {
            GenerationJob(prompt: [4, 5], strategy: try Self.sampling(seed: UInt64(10 + $0)), isTokenByToken: true,
                          maxTokens: 12)
        }
        let events = try await Self.collect(try scheduler.submit(jobs), choices: 3)
        for choice in 0..<3 {
            let solo = try Generator(model: model, strategy: try Self.sampling(seed: UInt64(10 + choice)), decoder: model,
                                     maxTokens: 12).run(prompt: [4, 5])
            #expect(Self.completion(events[choice])?.tokens == solo.tokens)
        }
    }

    @Test func multiSessionStrategiesRunBesideTheBatch() async throws {
        let model = ExactTestModel(vocabularySize: 12, contextLength: 64)
        let scheduler = try BatchScheduler(model: model, decoder: model)
        defer { scheduler.shutdown() }
        let context = try StrategyContext(model: model, decoder: model, chain: LogitProcessorChain(), seed: 5,
                                          promptLength: 2)
        let beam = try StrategyRegistry.makeStrategy(StrategySpecification(parsing: "beam:3"), context: context)
        let solo = try Generator(model: model, strategy: ErasedForTest(base: beam), decoder: model, maxTokens: 10)
            .run(prompt: [3, 4])
        let beamTicket = try scheduler.submit([GenerationJob(prompt: [3, 4], strategy: beam, isTokenByToken: false,
                                                             maxTokens: 10)])
        let sampleTicket = try scheduler.submit([GenerationJob(prompt: [1, 2], strategy: try Self.sampling(seed: 1),
                                                               isTokenByToken: true, maxTokens: 10)])
        let beamEvents = try await Self.collect(beamTicket, choices: 1)[0]
        _ = try await Self.collect(sampleTicket, choices: 1)
        #expect(Self.completion(beamEvents)?.tokens == solo.tokens)
    }

    @Test func aFailingRequestLeavesTheOthersRunning() async throws {
        let model = ExactTestModel(vocabularySize: 12, contextLength: 16)
        let scheduler = try BatchScheduler(model: model, decoder: model)
        defer { scheduler.shutdown() }
        let tooLong = try scheduler.submit([GenerationJob(prompt: Array(repeating: 1, count: 17),
                                                          strategy: try Self.sampling(seed: 1), isTokenByToken: true,
                                                          maxTokens: 4)])
        let fine = try scheduler.submit([GenerationJob(prompt: [1, 2], strategy: try Self.sampling(seed: 1),
                                                       isTokenByToken: true, maxTokens: 4)])
        await #expect(throws: LanguageModelError.contextFull(limit: 16, requested: 17)) {
            _ = try await Self.collect(tooLong, choices: 1)
        }
        let events = try await Self.collect(fine, choices: 1)[0]
        #expect(Self.completion(events) != nil)
    }

    @Test func queueBoundRefusesTheRequestBeyondIt() async throws {
        let model = ExactTestModel(vocabularySize: 12, contextLength: 64)
        let scheduler = try BatchScheduler(model: model, decoder: model,
                                           configuration: SchedulerConfiguration(maxBatchSize: 1, maxQueued: 1))
        defer { scheduler.shutdown() }
        let gate = Gate()
        defer { gate.open() }
        let first = try scheduler.submit([GenerationJob(prompt: [1], strategy: GatedStrategy(gate: gate, base: try Self.sampling(seed: 1)),
                                                        isTokenByToken: true, maxTokens: 30)])
        let second = try scheduler.submit([GenerationJob(prompt: [1], strategy: try Self.sampling(seed: 2),
                                                         isTokenByToken: true, maxTokens: 3)])
        #expect(throws: ServingError.queueFull(limit: 1)) {
            _ = try scheduler.submit([GenerationJob(prompt: [1], strategy: try Self.sampling(seed: 3),
                                                    isTokenByToken: true, maxTokens: 3)])
        }
        gate.open()
        _ = try await Self.collect(first, choices: 1)
        _ = try await Self.collect(second, choices: 1)
    }

    @Test func cancellingFreesTheGenerationAtOnce() async throws {
        let model = ExactTestModel(vocabularySize: 12, contextLength: 64)
        let scheduler = try BatchScheduler(model: model, decoder: model)
        defer { scheduler.shutdown() }
        let gate = Gate()
        defer { gate.open() }
        // End of sequence banned, so only the cancellation can end this one before the gate opens.
        let ticket = try scheduler.submit([GenerationJob(
            prompt: [1], strategy: GatedStrategy(gate: gate, base: try Self.sampling(seed: 1, banning: [model.eos])),
            isTokenByToken: true, maxTokens: 60)])
        let other = try scheduler.submit([GenerationJob(prompt: [2], strategy: try Self.sampling(seed: 2),
                                                        isTokenByToken: true, maxTokens: 5)])
        gate.admit(steps: 2)
        ticket.cancel()
        gate.open()
        _ = try await Self.collect(other, choices: 1)
        // The loop drops the cancelled job before its next step.
        let statistics = try await waitFor(scheduler) { $0.active == 0 }
        #expect(statistics.cancelled == 1)
        #expect(statistics.completed == 1)
    }
}

/// Polls the scheduler's statistics until `condition` holds (a generous bound, not a timing check).
func waitFor(_ scheduler: BatchScheduler, _ condition: (SchedulerStatistics) -> Bool) async throws -> SchedulerStatistics {
    for _ in 0..<2_000 {
        let statistics = scheduler.currentStatistics
        if condition(statistics) { return statistics }
        try await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("the scheduler never reached the expected state: \(scheduler.currentStatistics)")
    return scheduler.currentStatistics
}

/// A strategy from the registry, erased (as the scheduler holds it), for a solo run.
struct ErasedForTest: DecodingStrategy {
    var base: any DecodingStrategy
    mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        try base.step(&session, context: context)
    }
}

/// Holds a strategy's steps until the test lets them through.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var allowed = 0
    private var isOpen = false

    func admit(steps: Int) {
        condition.lock()
        allowed += steps
        condition.broadcast()
        condition.unlock()
    }

    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }

    func pass() {
        condition.lock()
        while !isOpen && allowed == 0 { condition.wait() }
        if !isOpen { allowed -= 1 }
        condition.unlock()
    }
}

/// A strategy whose steps wait at a ``Gate``.
struct GatedStrategy: DecodingStrategy {
    let gate: Gate
    var base: any DecodingStrategy
    mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        gate.pass()
        return try base.step(&session, context: context)
    }
}
