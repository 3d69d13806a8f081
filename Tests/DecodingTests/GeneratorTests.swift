import Foundation
import Testing
import Decoding
import DecodingTestSupport

/// Draws `draws` generations and compares the distribution of whole continuations with the
/// exact one, pooling continuations whose expected count is below 5 (χ² validity).
func expectGenerationMatches(exact: [[Int]: Double], draws: Int, sample: () throws -> [Int],
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
    var observed: [[Int]: Int] = [:]
    for _ in 0..<draws { observed[try sample(), default: 0] += 1 }
    for sequence in observed.keys {
        #expect(exact[sequence] != nil, "drew \(sequence), which has probability 0", sourceLocation: sourceLocation)
    }
    var counts: [Int] = [], expected: [Double] = []
    var pooledCount = 0, pooledProbability = 0.0
    for (sequence, p) in exact.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
        if p * Double(draws) < 5 {
            pooledCount += observed[sequence] ?? 0
            pooledProbability += p
        } else {
            counts.append(observed[sequence] ?? 0)
            expected.append(p)
        }
    }
    counts.append(pooledCount)
    expected.append(pooledProbability)
    Statistics.expectMatches(counts: counts, expected: expected, draws: draws, sourceLocation: sourceLocation)
}

@Suite struct GeneratorTests {
    @Test func samplingStrategyMatchesTheExactSequenceDistribution() throws {
        let model = ExactTestModel(vocabularySize: 6, seed: 5)
        let parameters = SamplingParameters(temperature: 0.9, topK: 4, topP: 0.95, minP: 0.05, seed: 17)
        let exact = try model.continuationDistribution(after: [0], length: 3, chain: try parameters.makeChain())
        var generator = try Generator(model: model, strategy: try parameters.makeStrategy(), maxTokens: 3)
        var runs: UInt64 = 0
        try expectGenerationMatches(exact: exact, draws: 20_000) {
            runs += 1
            generator.strategy.sampler = CategoricalSampler(generator: Xoshiro256StarStar(seed: 17, stream: runs))
            return try generator.run(prompt: [0]).tokens
        }
    }

    @Test func stopsAtEOSAndCountsWork() throws {
        let model = ExactTestModel(vocabularySize: 4, seed: 2)
        let generator = try Generator(model: model, strategy: try SamplingParameters(seed: 1).makeStrategy(),
                                      decoder: model, maxTokens: 200)
        let result = try generator.run(prompt: [0])
        #expect(result.stopReason == .endOfSequence(token: model.eos))
        #expect(result.tokens.last == model.eos)
        #expect(result.statistics.steps == result.tokens.count)
        // The final EOS is not evaluated.
        #expect(result.statistics.tokensEvaluated == result.tokens.count - 1)
        #expect(result.text == String(decoding: result.tokens.dropLast().flatMap { model.tokenBytes[$0] }, as: UTF8.self))
    }

    @Test func sameSeedSameTokensDifferentSeedDifferentTokens() throws {
        let model = ExactTestModel(vocabularySize: 12, seed: 4)
        func run(_ seed: UInt64) throws -> [Int] {
            let strategy = try SamplingParameters(temperature: 1.5, topK: 0, topP: 1, minP: 0, seed: seed).makeStrategy()
            return try Generator(model: model, strategy: strategy, maxTokens: 40, stopAtEndOfSequence: false).run(prompt: [1]).tokens
        }
        #expect(try run(9) == run(9))
        #expect(try run(9) != run(10))
    }

    /// One generator per sequence: interleaving two sequences step by step (as a batch would)
    /// gives each the tokens it gets alone.
    @Test func batchCompositionNeverChangesASequence() throws {
        let model = ExactTestModel(vocabularySize: 12, seed: 14)
        let parameters = SamplingParameters(temperature: 1.2, topK: 0, topP: 1, minP: 0, seed: 77)
        func solo(_ stream: UInt64) throws -> [Int] {
            try Generator(model: model, strategy: try parameters.makeStrategy(stream: stream), maxTokens: 20,
                          stopAtEndOfSequence: false).run(prompt: [3]).tokens
        }
        var a = try Generator(model: model, strategy: try parameters.makeStrategy(stream: 1), maxTokens: 20,
                              stopAtEndOfSequence: false).makeIterator(prompt: [3])
        var b = try Generator(model: model, strategy: try parameters.makeStrategy(stream: 2), maxTokens: 20,
                              stopAtEndOfSequence: false).makeIterator(prompt: [3])
        var tokensA: [Int] = [], tokensB: [Int] = []
        var moreA = true, moreB = true
        while moreA || moreB {
            if moreA, let event = try a.next() {
                if case .token(let token) = event { tokensA.append(token.token) }
            } else { moreA = false }
            if moreB, let event = try b.next() {
                if case .token(let token) = event { tokensB.append(token.token) }
            } else { moreB = false }
        }
        #expect(try tokensA == solo(1))
        #expect(try tokensB == solo(2))
        #expect(tokensA != tokensB)
    }

    @Test func maxTokensContextAndPredicateStop() throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 6, contextLength: 10)
        let strategy = try SamplingParameters(seed: 3, bannedTokens: [7]).makeStrategy()
        let short = try Generator(model: model, strategy: strategy, maxTokens: 4).run(prompt: [0, 1])
        #expect(short.stopReason == .maxTokens && short.tokens.count == 4)
        var iterator = try Generator(model: model, strategy: strategy, maxTokens: 100).makeIterator(prompt: [0, 1])
        var last: GenerationResult?
        while let event = try iterator.next() { if case .finished(let result) = event { last = result } }
        #expect(last?.stopReason == .contextFull && last?.tokens.count == 8)
        #expect(iterator.session.count == 10)
        let predicate = try Generator(model: model, strategy: strategy, maxTokens: 100, shouldStop: { $0.count == 2 })
        #expect(try predicate.run(prompt: [0]).stopReason == .predicate)
    }

    @Test func streamedTextNeverSplitsACharacterAndStopsAtStopStrings() throws {
        // Tokens: 5 = 0xC3, 6 = 0xA9 ("é" = C3 A9); ban EOS, force a fixed script with a bias.
        let model = ExactTestModel(vocabularySize: 16, seed: 7)
        let script = [0, 5, 6, 1, 12, 2, 3, 8, 0]  // a, C3, A9, b, é, space, ., !, a
        let decoder = ClosureTokenDecoder(table: model.tokenBytes)
        let strategy = ScriptedStrategy(script: script)
        let generator = try Generator(model: model, strategy: strategy, decoder: decoder, maxTokens: 20, stopStrings: [".!", "zz"])
        var iterator = try generator.makeIterator(prompt: [0])
        var texts: [String] = []
        var result: GenerationResult?
        while let event = try iterator.next() {
            switch event {
            case .token(let token): texts.append(token.text)
            case .step: break
            case .finished(let finished): result = finished
            }
        }
        #expect(texts == ["a", "", "é", "b", "é", " ", "", ""])
        #expect(result?.text == "aébé ")
        #expect(result?.stopReason == .stopString(".!"))
        #expect(texts.joined() == result?.text)
    }

    @Test func rejectsBadOptions() throws {
        let model = ExactTestModel()
        let strategy = try SamplingParameters().makeStrategy()
        #expect(throws: GenerationError.invalidMaxTokens(0)) { try Generator(model: model, strategy: strategy, maxTokens: 0) }
        #expect(throws: GenerationError.emptyStopString(index: 1)) {
            try Generator(model: model, strategy: strategy, decoder: model, maxTokens: 5, stopStrings: ["x", ""])
        }
        #expect(throws: GenerationError.stopStringsNeedDecoder) { try Generator(model: model, strategy: strategy, maxTokens: 5, stopStrings: ["x"]) }
        #expect(throws: LanguageModelError.emptyPrompt) { try Generator(model: model, strategy: strategy, maxTokens: 5).run(prompt: []) }
    }

    @Test func vocabularyMismatchIsATypedError() throws {
        let model = MismatchedModel()
        let generator = try Generator(model: model, strategy: try SamplingParameters().makeStrategy(), maxTokens: 3)
        #expect(throws: SamplingError.vocabularyMismatch(expected: 9, actual: 8)) { try generator.run(prompt: [0]) }
    }

    @Test func asyncEventsMatchTheSynchronousIterator() async throws {
        let model = ExactTestModel(vocabularySize: 10, seed: 8)
        let generator = try Generator(model: model, strategy: try SamplingParameters(seed: 5).makeStrategy(),
                                      decoder: model, maxTokens: 30)
        var events: [GenerationEvent] = []
        for try await event in generator.events(prompt: [2]) { events.append(event) }
        var iterator = try generator.makeIterator(prompt: [2])
        var syncEvents: [GenerationEvent] = []
        while let event = try iterator.next() { syncEvents.append(event) }
        #expect(events == syncEvents)
    }

    @Test func cancellationStopsPromptly() async throws {
        let model = ExactTestModel(vocabularySize: 10, seed: 8, contextLength: 100_000)
        let generator = try Generator(model: model, strategy: try SamplingParameters(seed: 5).makeStrategy(),
                                      maxTokens: 90_000, stopAtEndOfSequence: false)
        let task = Task {
            var count = 0
            for try await event in generator.events(prompt: [2]) {
                if case .finished(let result) = event { return (count, result.stopReason) }
                guard case .token = event else { continue }
                count += 1
                if count == 5 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return (count, StopReason.maxTokens)
        }
        let (count, reason) = try await task.value
        #expect(reason == .cancelled)
        #expect(count == 5)
    }
}

/// Emits a fixed script of tokens, one per step (to test the generator's text handling).
struct ScriptedStrategy: DecodingStrategy {
    var script: [Int]
    var position = 0
    mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        let token = script[position % script.count]
        position += 1
        try session.append([token])
        return DecodingStep(tokens: [token], lastTokenEvaluated: true, statistics: StepStatistics(steps: 1, modelCalls: 1))
    }
}

/// A model that claims one more token than its sessions' logits have.
final class MismatchedModel: LanguageModel, @unchecked Sendable {
    let inner = ExactTestModel()
    var vocabularySize: Int { inner.vocabularySize + 1 }
    var contextLength: Int { inner.contextLength }
    var hiddenSize: Int { inner.hiddenSize }
    var specialTokens: SpecialTokens { inner.specialTokens }
    func makeSession(prompt: [Int]) throws -> any ModelSession { try inner.makeSession(prompt: prompt) }
    func appendBatch(_ sessions: [any ModelSession], tokens: [Int]) throws { try inner.appendBatch(sessions, tokens: tokens) }
    func evaluateTree(_ tree: TokenTree, after session: any ModelSession) throws -> [[Float]] {
        try inner.evaluateTree(tree, after: session)
    }
}
