import Foundation
import Testing
import Decoding
import DecodingTestSupport

@Suite struct CautiousStrategyTests {
    @Test(arguments: [
        (0.0, false, 1), (0.01, false, 1), (0.755, false, 5), (1.5, false, 10), (3.0, false, 10),
        (0.2, false, 2), (0.0, true, 10), (1.5, true, 1), (0.755, true, 5), (0.2, true, 8),
    ])
    func trialCountFollowsTheFormula(entropy: Double, inverse: Bool, expected: Int) {
        #expect(CautiousOptions(inverse: inverse).trialCount(entropy: entropy) == expected)
    }

    @Test func rejectsBadOptions() {
        let cases: [(CautiousOptions, String)] = [
            (CautiousOptions(entropyLow: 1, entropyHigh: 0.5), "entropyHigh must be finite and above entropyLow (1.0), got 0.5"),
            (CautiousOptions(entropyLow: .nan), "entropyLow must be finite and non-negative, got nan"),
            (CautiousOptions(minTrials: 0), "minTrials must be positive, got 0"),
            (CautiousOptions(maxTrials: 0), "maxTrials must be at least minTrials (1), got 0"),
            (CautiousOptions(fixedTrialCount: 0), "fixedTrialCount must be positive, got 0"),
            (CautiousOptions(maxSegmentLength: 0), "maxSegmentLength must be positive, got 0"),
            (CautiousOptions(punctuation: [""]), "punctuation must be non-empty strings"),
        ]
        for (options, message) in cases {
            #expect(throws: SamplingError.invalidParameter(message)) { try options.validate() }
        }
    }

    @Test func punctuationTokensComeFromTheDecoder() throws {
        let model = ExactTestModel(vocabularySize: 16)
        let tokens = try CautiousOptions().punctuationTokens(vocabularySize: 16, decoder: model)
        // ".", ",", "!", "?", "\n", ";" in ExactTestModel.pieces; exact text only.
        #expect(tokens == [3, 4, 8, 9, 10, 14])
        let spaced = ClosureTokenDecoder(table: [Array(" .".utf8), Array(".".utf8), Array("a".utf8)])
        #expect(try CautiousOptions().punctuationTokens(vocabularySize: 3, decoder: spaced) == [1])
    }

    /// With one trial per step the segments are plain samples, so whole sequences must follow
    /// the exact distribution of plain sampling with the same chain.
    @Test func oneTrialEqualsPlainSamplingInDistribution() throws {
        let model = ExactTestModel(vocabularySize: 6, seed: 12)
        let parameters = SamplingParameters(temperature: 1.1, topK: 0, topP: 0.97, minP: 0)
        let exact = try model.continuationDistribution(after: [0], length: 4, chain: try parameters.makeChain())
        var runs: UInt64 = 0
        try expectGenerationMatches(exact: exact, draws: 20_000) {
            runs += 1
            let strategy = try CautiousStrategy(chain: try parameters.makeChain(), seed: runs,
                                                options: CautiousOptions(fixedTrialCount: 1), vocabularySize: 6, decoder: model)
            let result = try Generator(model: model, strategy: strategy, maxTokens: 4).run(prompt: [0])
            #expect(result.statistics.branchingSteps == result.statistics.steps)
            return result.tokens
        }
    }

    @Test func commitsTheMinimumPerplexityTrial() throws {
        let model = ExactTestModel(vocabularySize: 10, seed: 21, spread: 2)
        let chain = LogitProcessorChain()  // identity: processed = exact probabilities
        var strategy = try CautiousStrategy(chain: chain, seed: 4, options: CautiousOptions(entropyHigh: 0.5, maxSegmentLength: 6),
                                            vocabularySize: 10, decoder: model)
        var session = try model.makeSession(prompt: [1])
        var branched = 0
        for _ in 0..<20 {
            let before = session.tokens
            let step = try strategy.step(&session, context: StepContext(model: model, remainingTokens: 50))
            if model.specialTokens.isStop(step.tokens.last ?? -1) { break }
            #expect(session.tokens == before + step.tokens)
            guard let chosen = strategy.lastChosenTrial else { continue }
            branched += 1
            #expect(strategy.lastTrials.count == 10)
            #expect(step.tokens == strategy.lastTrials[chosen].tokens)
            for trial in strategy.lastTrials {
                // Perplexity recomputed from the exact model.
                let p = try model.probability(of: trial.tokens, after: before)
                let perplexity = pow(p, -1 / Double(trial.tokens.count))
                #expect(abs(perplexity - trial.perplexity) < 1e-4 * perplexity)
                #expect(trial.perplexity >= strategy.lastTrials[chosen].perplexity)
                let last = trial.tokens.last ?? -1
                #expect(strategy.punctuationTokens.contains(last) || last == model.eos || trial.tokens.count == 6)
            }
            #expect(step.statistics.branchesTried == 10)
        }
        #expect(branched > 0)
    }

    @Test func branchingEvaluatesTrialsInBatches() throws {
        let model = ExactTestModel(vocabularySize: 10, seed: 21, spread: 2)
        var strategy = try CautiousStrategy(chain: LogitProcessorChain(), seed: 9,
                                            options: CautiousOptions(fixedTrialCount: 4, maxSegmentLength: 5),
                                            vocabularySize: 10, decoder: model)
        var session = try model.makeSession(prompt: [1])
        let callsBefore = model.modelCalls, tokensBefore = model.tokensEvaluated
        let step = try strategy.step(&session, context: StepContext(model: model, remainingTokens: 50))
        let lengths = strategy.lastTrials.map(\.tokens.count)
        // One batch per position after the first, plus the committed trial's last token.
        let expectedCalls = (lengths.max() ?? 1) - 1 + (step.lastTokenEvaluated ? 1 : 0)
        #expect(step.statistics.modelCalls == expectedCalls)
        #expect(model.modelCalls - callsBefore == expectedCalls)
        #expect(model.tokensEvaluated - tokensBefore == step.statistics.tokensEvaluated)
        // Trials that drew the same tokens share a session: every distinct prefix a trial
        // evaluated (its tokens but its last) is evaluated once.
        var prefixes = Set<[Int]>()
        for trial in strategy.lastTrials where trial.tokens.count > 1 {
            for end in 1..<trial.tokens.count { prefixes.insert(Array(trial.tokens.prefix(end))) }
        }
        let trialTokens = step.statistics.tokensEvaluated - (step.lastTokenEvaluated ? 1 : 0)
        #expect(trialTokens == prefixes.count)
        #expect(trialTokens < lengths.reduce(0, +) - lengths.count, "some trials share a prefix at this seed")
        #expect(step.statistics.discardedTokens == trialTokens - (step.tokens.count - 1))
    }

    @Test func deterministicUnderASeed() throws {
        let model = ExactTestModel(vocabularySize: 12, seed: 30)
        func run(_ seed: UInt64) throws -> GenerationResult {
            let strategy = try CautiousStrategy(chain: try SamplingParameters(temperature: 1.2, topK: 0, topP: 1, minP: 0).makeChain(),
                                                seed: seed, options: CautiousOptions(entropyHigh: 1.0),
                                                vocabularySize: 12, decoder: model)
            return try Generator(model: model, strategy: strategy, decoder: model, maxTokens: 40, stopAtEndOfSequence: false)
                .run(prompt: [0])
        }
        let a = try run(1), b = try run(1), c = try run(2)
        #expect(a == b)
        #expect(a.tokens != c.tokens)
        #expect(a.statistics.branchingSteps > 0)
        #expect(a.tokens.count == 40)
    }
}
