import Foundation
import Testing
import Decoding
import DecodingTestSupport

/// The generator's seams: per-token log-probabilities, step events and the final strategy.
@Suite struct GeneratorSeamTests {
    @Test func negativeTopLogprobsIsATypedError() {
        #expect(throws: GenerationError.invalidTopLogprobs(-1)) { try LogprobOptions(top: -1) }
        #expect(GenerationError.invalidTopLogprobs(-1).description
                == "the number of top log-probabilities must be 0 or more, got -1")
    }

    /// Every token's `sampled` log-probability is the log-softmax, at that token, of the logits it
    /// was drawn from (the model's row after the chain), and `model` that of the raw row, both
    /// recomputed here from the exact model's rows; `top` lists the raw row's most likely tokens.
    @Test func logprobsAreTheLogSoftmaxOfTheRowsTheTokensWereDrawnFrom() throws {
        let model = ExactTestModel(vocabularySize: 12, seed: 3)
        let parameters = SamplingParameters(temperature: 0.8, topK: 6, topP: 0.9, seed: 11)
        let generator = try Generator(model: model, strategy: try parameters.makeStrategy(), decoder: model, maxTokens: 20,
                                      logprobs: try LogprobOptions(top: 3))
        let prompt = [1, 4]
        var iterator = try generator.makeIterator(prompt: prompt)
        var streamed: [TokenLogprobs] = []
        var result: GenerationResult?
        while let event = try iterator.next() {
            switch event {
            case .token(let token): streamed.append(try #require(token.logprobs))
            case .step: break
            case .finished(let finished): result = finished
            }
        }
        let finished = try #require(result)
        #expect(finished.tokens.count >= 3)
        #expect(finished.logprobs == streamed)
        #expect(finished.logprobs.count == finished.tokens.count)
        var context = prompt
        for (token, logprobs) in zip(finished.tokens, finished.logprobs) {
            let raw = try Logits(model.logits(after: context))
            var processed = raw
            var chain = try parameters.makeChain()
            try chain.apply(to: &processed, history: context)
            let sampled = try #require(logprobs.sampled)
            let modelLogprob = try #require(logprobs.model)
            #expect(abs(sampled - processed.logProbability(of: token)) < 1e-9)
            #expect(abs(modelLogprob - raw.logProbability(of: token)) < 1e-9)
            // Independent of Logits: the log-softmax in Double from the model's probabilities.
            #expect(abs(modelLogprob - log(model.probabilities(after: context)[token])) < 1e-4)
            let expectedTop = (0..<model.vocabularySize).sorted {
                raw.values[$0] > raw.values[$1] || (raw.values[$0] == raw.values[$1] && $0 < $1)
            }.prefix(3)
            #expect(logprobs.top.map(\.token) == Array(expectedTop))
            for entry in logprobs.top { #expect(abs(entry.logprob - raw.logProbability(of: entry.token)) < 1e-9) }
            context.append(token)
        }
    }

    @Test func greedyTokensHaveLogprobZeroUnderTheirPointMass() throws {
        let model = ExactTestModel(vocabularySize: 10, seed: 6)
        let strategy = SamplingStrategy(chain: LogitProcessorChain(), sampler: GreedySampler())
        let result = try Generator(model: model, strategy: strategy, maxTokens: 5, logprobs: try LogprobOptions())
            .run(prompt: [2])
        #expect(result.logprobs.map(\.sampled) == Array(repeating: 0, count: result.tokens.count))
        #expect(result.logprobs.allSatisfy { $0.model != nil && $0.model! <= 0 && $0.top.isEmpty })
    }

    @Test func withoutOptionsNothingIsRecorded() throws {
        let model = ExactTestModel(vocabularySize: 10, seed: 6)
        var iterator = try Generator(model: model, strategy: try SamplingParameters(seed: 2).makeStrategy(), maxTokens: 5)
            .makeIterator(prompt: [2])
        while let event = try iterator.next() {
            if case .token(let token) = event { #expect(token.logprobs == nil) }
            if case .finished(let result) = event { #expect(result.logprobs.isEmpty) }
        }
    }

    /// Multi-token steps (cautious segments): one step event after each step's tokens; the steps'
    /// tokens concatenate to the result's and their statistics sum to its totals; the model's
    /// log-probability is known for each step's first token.
    @Test(arguments: [0, 1, 2, 3] as [UInt64])
    func stepEventsFollowTheirTokensAndSumToTheTotals(seed: UInt64) throws {
        let model = ExactTestModel(vocabularySize: 12, seed: 5)
        let strategy = try CautiousStrategy(chain: try SamplingParameters(temperature: 1.2).makeChain(), seed: seed,
                                            options: CautiousOptions(entropyHigh: 0.5, maxSegmentLength: 4),
                                            punctuationTokens: [3, 7])
        let generator = try Generator(model: model, strategy: strategy, decoder: model, maxTokens: 24,
                                      logprobs: try LogprobOptions())
        var iterator = try generator.makeIterator(prompt: [0])
        var tokensSinceStep: [Int] = []
        var steps: [GenerationStep] = []
        var firstOfStep: [Bool] = []
        var result: GenerationResult?
        while let event = try iterator.next() {
            switch event {
            case .token(let token):
                #expect(result == nil)
                firstOfStep.append(tokensSinceStep.isEmpty)
                tokensSinceStep.append(token.token)
            case .step(let step):
                #expect(step.tokens == tokensSinceStep)
                steps.append(step)
                tokensSinceStep = []
            case .finished(let finished): result = finished
            }
        }
        let finished = try #require(result)
        #expect(tokensSinceStep.isEmpty)
        #expect(steps.flatMap(\.tokens) == finished.tokens)
        var total = StepStatistics()
        for step in steps { total += step.statistics }
        #expect(total == finished.statistics)
        #expect(steps.count == finished.statistics.steps)
        for (first, logprobs) in zip(firstOfStep, finished.logprobs) where first { #expect(logprobs.model != nil) }
    }

    @Test func aStopInsideAStepKeepsOnlyTheTokensBeforeItButCountsTheWholeStep() throws {
        let model = ExactTestModel(vocabularySize: 16, seed: 7)
        // One step emits "a", "b", "." then "!"; the stop string ".!" ends the text at the fourth.
        let strategy = ChunkStrategy(chunks: [[0, 1], [2, 3, 8, 0]])
        let generator = try Generator(model: model, strategy: strategy, decoder: model, maxTokens: 20, stopStrings: [".!"])
        var iterator = try generator.makeIterator(prompt: [0])
        var steps: [GenerationStep] = []
        var result: GenerationResult?
        while let event = try iterator.next() {
            if case .step(let step) = event { steps.append(step) }
            if case .finished(let finished) = event { result = finished }
        }
        let finished = try #require(result)
        #expect(finished.stopReason == .stopString(".!"))
        #expect(steps.map(\.tokens) == [[0, 1], [2, 3, 8]])
        #expect(steps.flatMap(\.tokens) == finished.tokens)
        #expect(steps.map(\.statistics.tokensEvaluated) == [2, 4])
        #expect(finished.statistics.tokensEvaluated == 6)
    }

    /// The iterator hands back the strategy as its last step left it, with its metrics.
    @Test func theIteratorExposesTheFinalStrategyAndItsMetrics() throws {
        let model = ExactTestModel(vocabularySize: 16, seed: 7)
        let strategy = ChunkStrategy(chunks: [[0], [1, 2], [4]])
        var iterator = try Generator(model: model, strategy: strategy, maxTokens: 4).makeIterator(prompt: [0])
        #expect(iterator.strategy.metrics["chunks"] == .count(0))
        while try iterator.next() != nil {}
        #expect(iterator.strategy.emitted == 3)
        #expect(iterator.strategy.metrics["chunks"] == .count(3))
        #expect(iterator.strategy.metrics["chunks"]?.number == 3)
        #expect(SamplingStrategy(chain: LogitProcessorChain(), sampler: GreedySampler()).metrics.isEmpty)
    }

    @Test func metricsLookUpReplaceAndRemoveByName() {
        var metrics = StrategyMetrics()
        metrics["checks"] = .count(4)
        metrics["rate"] = .number(0.5)
        metrics["checks"] = .count(5)
        metrics["depths"] = .counts([3, 1])
        #expect(metrics.entries.map(\.name) == ["checks", "rate", "depths"])
        #expect(metrics["checks"]?.count == 5 && metrics["rate"]?.count == nil && metrics["depths"]?.counts == [3, 1])
        metrics["rate"] = nil
        #expect(metrics.entries.map(\.name) == ["checks", "depths"])
        #expect(metrics != StrategyMetrics() && !metrics.isEmpty)
    }
}

/// Emits fixed chunks of tokens, one chunk per step, every token evaluated; reports the chunks
/// emitted as its metric.
struct ChunkStrategy: DecodingStrategy {
    var chunks: [[Int]]
    var emitted = 0

    mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        let chunk = Array(chunks[emitted % chunks.count].prefix(context.remainingTokens))
        emitted += 1
        try session.append(chunk)
        return DecodingStep(tokens: chunk, lastTokenEvaluated: true,
                            statistics: StepStatistics(steps: 1, modelCalls: 1, tokensEvaluated: chunk.count, branchesTried: 1))
    }

    var metrics: StrategyMetrics {
        var metrics = StrategyMetrics()
        metrics["chunks"] = .count(emitted)
        return metrics
    }
}
