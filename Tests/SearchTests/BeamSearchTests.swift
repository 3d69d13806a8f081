import Foundation
import Testing
import Decoding
import DecodingTestSupport
import Search

@Suite struct BeamSearchTests {
    /// With C covering the vocabulary and W at least the number of prefixes at every depth the
    /// search is exhaustive: its final beams are the exact top-W complete sequences (ending at
    /// EOS or at the length limit) by enumeration, with their exact log-probabilities.
    @Test(arguments: [(4, 3, 1 as UInt64), (5, 2, 2), (4, 3, 9), (6, 2, 4)])
    func exhaustiveBeamFindsTheExactTopSequences(vocabulary: Int, length: Int, seed: UInt64) throws {
        let model = ExactTestModel(vocabularySize: vocabulary, seed: seed)
        let width = Int(pow(Double(vocabulary), Double(length - 1)))
        var beam = try BeamSearchStrategy(width: width, candidatesPerBeam: vocabulary)
        var session = try model.makeSession(prompt: [0])
        _ = try beam.step(&session, context: StepContext(model: model, remainingTokens: length))
        let result = try #require(beam.lastResult)
        let exact = try model.continuationDistribution(after: [0], length: length)
        let expected = exact.sorted { $0.value > $1.value }.prefix(width)
        #expect(result.candidates.count == expected.count)
        for (candidate, (tokens, probability)) in zip(result.candidates, expected) {
            #expect(abs(candidate.logProbability - log(probability)) < 1e-4)
            #expect(candidate.tokens == tokens)
        }
        #expect(result.best.tokens == expected.first?.key)
    }

    /// A narrow beam with a small vocabulary: the top-W among what it kept, sorted by score.
    @Test func beamsAreSortedAndDistinct() throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 3)
        var beam = try BeamSearchStrategy(width: 3, candidatesPerBeam: 4)
        var session = try model.makeSession(prompt: [1])
        _ = try beam.step(&session, context: StepContext(model: model, remainingTokens: 5))
        let result = try #require(beam.lastResult)
        #expect(result.candidates.count == 3)
        #expect(Set(result.candidates.map(\.tokens)).count == 3)
        #expect(zip(result.candidates, result.candidates.dropFirst()).allSatisfy { $0.score >= $1.score })
        for candidate in result.candidates {
            let exact = try model.probability(of: candidate.tokens, after: [1])
            #expect(abs(candidate.logProbability - log(exact)) < 1e-4)
        }
    }

    /// Token children are ranked from their parent's row, so a round evaluates at most the W
    /// survivors (not W·C children), in one batched call.
    @Test func tokenBeamEvaluatesOnlyTheSurvivors() throws {
        let model = ExactTestModel(vocabularySize: 12, seed: 8, contextLength: 64)
        var beam = try BeamSearchStrategy(width: 3, candidatesPerBeam: 4)
        var session = try model.makeSession(prompt: [0])
        _ = try beam.step(&session, context: StepContext(model: model, remainingTokens: 8))
        let statistics = try #require(beam.lastResult).statistics
        #expect(statistics.branchingSteps >= 2)
        #expect(statistics.modelCalls <= statistics.branchingSteps)
        #expect(statistics.tokensEvaluated <= 3 * statistics.branchingSteps)
        #expect(statistics.branchesTried > statistics.tokensEvaluated)
    }

    @Test(arguments: [1 as UInt64, 5, 17])
    func widthOneBeamIsGreedy(seed: UInt64) throws {
        let model = ExactTestModel(vocabularySize: 10, seed: seed)
        let greedy = try generate(model, SamplingStrategy(chain: LogitProcessorChain(), sampler: GreedySampler()), maxTokens: 12)
        let beam = try generate(model, try BeamSearchStrategy(width: 1, candidatesPerBeam: 3), maxTokens: 12)
        #expect(beam == greedy)
    }

    /// Length normalization prefers the longer of two sequences when its per-token
    /// log-probability is higher; the scores are Σ log p / length^α.
    @Test func lengthNormalizationDividesByLength() throws {
        let model = ExactTestModel(vocabularySize: 6, seed: 7)
        var beam = try BeamSearchStrategy(width: 4, candidatesPerBeam: 6, lengthPenalty: 1)
        var session = try model.makeSession(prompt: [0])
        _ = try beam.step(&session, context: StepContext(model: model, remainingTokens: 4))
        for candidate in try #require(beam.lastResult).candidates {
            #expect(abs(candidate.score - candidate.logProbability / Double(candidate.tokens.count)) < 1e-9)
        }
    }

    /// Segment beams: each segment ends at a delimiter, children of one beam are evaluated in
    /// batches, and the same seed gives the same search.
    @Test func segmentBeamIsDeterministicAndEndsSegmentsAtDelimiters() throws {
        let model = ExactTestModel(vocabularySize: 16, seed: 4, contextLength: 128)
        let delimiters: Set<Int> = [3, 4, 10]
        func run() throws -> SearchResult {
            var beam = try BeamSearchStrategy(width: 2, candidatesPerBeam: 3, unit: .segment(delimiters: delimiters, maxLength: 4),
                                              options: SearchOptions(seed: 11), decoder: model)
            var session = try model.makeSession(prompt: [0])
            _ = try beam.step(&session, context: StepContext(model: model, remainingTokens: 10))
            return try #require(beam.lastResult)
        }
        let first = try run()
        #expect(first == (try run()))
        #expect(first.statistics.modelCalls < first.statistics.tokensEvaluated)
        #expect(first.candidates.allSatisfy { !$0.tokens.isEmpty && $0.tokens.count <= 10 })
    }

    /// Lookahead evaluates extra (discarded) tokens but keeps only the beam's own tokens, and
    /// with a verifier on partial text the committed beam is the verifier's best.
    @Test func lookaheadScoresAfterGreedyExtension() throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 2)
        var plain = try BeamSearchStrategy(width: 2, candidatesPerBeam: 3)
        var ahead = try BeamSearchStrategy(width: 2, candidatesPerBeam: 3, lookahead: 3)
        var s1 = try model.makeSession(prompt: [0])
        var s2 = try model.makeSession(prompt: [0])
        let context = StepContext(model: model, remainingTokens: 6)
        _ = try plain.step(&s1, context: context)
        let step = try ahead.step(&s2, context: context)
        let result = try #require(ahead.lastResult)
        #expect(result.statistics.discardedTokens > 0)
        #expect(result.statistics.tokensEvaluated > (try #require(plain.lastResult)).statistics.tokensEvaluated)
        #expect(step.tokens == result.best.tokens)
        #expect(s2.tokens.count == 1 + step.tokens.count - (step.lastTokenEvaluated ? 0 : 1))
    }

    @Test func budgetCapsTokensEvaluated() throws {
        let model = ExactTestModel(vocabularySize: 10, seed: 6)
        var beam = try BeamSearchStrategy(width: 4, candidatesPerBeam: 4, options: SearchOptions(maxTokensEvaluated: 10))
        var session = try model.makeSession(prompt: [0])
        let step = try beam.step(&session, context: StepContext(model: model, remainingTokens: 30))
        let result = try #require(beam.lastResult)
        // Checked before each batch: at most one batch (W·C = 16 tokens) past the cap.
        #expect(result.statistics.tokensEvaluated <= 10 + 16)
        #expect(!step.tokens.isEmpty)
        #expect(step.lastTokenEvaluated || model.specialTokens.isStop(step.tokens.last ?? -1))
    }

    @Test func rejectsBadParameters() {
        #expect(throws: SearchError.invalidParameter(name: "beam width W", value: "0", requirement: "at least 1")) {
            try BeamSearchStrategy(width: 0, candidatesPerBeam: 2)
        }
        #expect(throws: SearchError.invalidParameter(name: "candidates per beam C", value: "-1", requirement: "at least 1")) {
            try BeamSearchStrategy(width: 2, candidatesPerBeam: -1)
        }
        #expect(throws: SearchError.invalidParameter(name: "lookahead", value: "-2", requirement: "0 or more")) {
            try BeamSearchStrategy(width: 2, candidatesPerBeam: 2, lookahead: -2)
        }
        #expect(throws: SearchError.invalidParameter(name: "segment length", value: "0", requirement: "at least 1")) {
            try BeamSearchStrategy(width: 2, candidatesPerBeam: 2, unit: .segment(delimiters: [], maxLength: 0))
        }
        #expect(throws: SearchError.invalidParameter(name: "maxTokensEvaluated", value: "0", requirement: "at least 1")) {
            try BeamSearchStrategy(width: 2, candidatesPerBeam: 2, options: SearchOptions(maxTokensEvaluated: 0))
        }
    }
}
