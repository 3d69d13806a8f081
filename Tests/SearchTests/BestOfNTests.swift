import Foundation
import Testing
import Decoding
import DecodingTestSupport
import Search

@Suite struct BestOfNTests {
    /// Best-of-1 draws exactly what plain sampling draws with the same seed and chain.
    @Test(arguments: [0 as UInt64, 1, 42, 99])
    func bestOfOneEqualsSamplingToken(seed: UInt64) throws {
        let model = ExactTestModel(vocabularySize: 12, seed: 8)
        let chain = LogitProcessorChain([try TemperatureProcessor(0.8), try TopKProcessor(6)])
        let reference = try generate(model, sampling(seed: seed, chain: chain), maxTokens: 15)
        let search = try BestOfNStrategy(count: 1, options: SearchOptions(chain: chain, seed: seed))
        #expect(try generate(model, search, maxTokens: 15) == reference)
    }

    /// Over many seeds, best-of-1 sequences follow the exact distribution of sampling.
    @Test func bestOfOneFollowsTheExactDistribution() throws {
        let model = ExactTestModel(vocabularySize: 5, seed: 21)
        let exact = try model.continuationDistribution(after: [0], length: 3)
        var counts: [[Int]: Int] = [:]
        let runs = 4000
        for seed in 0..<runs {
            let search = try BestOfNStrategy(count: 1, options: SearchOptions(seed: UInt64(seed)))
            counts[try generate(model, search, maxTokens: 3), default: 0] += 1
        }
        // About 40 outcomes and 4000 draws: expected TV ≈ 0.04; 0.07 fails a wrong sampler.
        #expect(totalVariation(counts, exact) < 0.07)
    }

    /// N candidates advance together: one model call per position, and the committed one is
    /// the verifier's argmax; every candidate is exposed with its score.
    @Test func bestOfNCommitsTheArgmaxAndBatches() throws {
        let model = ExactTestModel(vocabularySize: 10, seed: 5, contextLength: 64)
        var search = try BestOfNStrategy(count: 6, options: SearchOptions(seed: 3), decoder: model)
        var session = try model.makeSession(prompt: [0])
        let step = try search.step(&session, context: StepContext(model: model, remainingTokens: 8))
        let result = try #require(search.lastResult)
        #expect(result.candidates.count == 6)
        let means = result.candidates.map(\.meanLogProbability)
        #expect(result.best.score == means.max())
        #expect(step.tokens == result.best.tokens)
        let longest = result.candidates.map(\.tokens.count).max() ?? 0
        #expect(result.statistics.modelCalls <= longest)
        #expect(result.statistics.branchesTried == 6)
        for candidate in result.candidates {
            #expect(abs(candidate.logProbability - log(try model.probability(of: candidate.tokens, after: [0]))) < 1e-4)
        }
    }

    /// Candidates 0 of best-of-N is best-of-1's sample (stream 0), so the N-candidate search
    /// always scores at least as well as the single sample.
    @Test func moreCandidatesNeverScoreWorseThanOne() throws {
        let model = ExactTestModel(vocabularySize: 10, seed: 9)
        for seed in 0..<20 as Range<UInt64> {
            var one = try BestOfNStrategy(count: 1, options: SearchOptions(seed: seed))
            var eight = try BestOfNStrategy(count: 8, options: SearchOptions(seed: seed))
            var s1 = try model.makeSession(prompt: [2])
            var s8 = try model.makeSession(prompt: [2])
            _ = try one.step(&s1, context: StepContext(model: model, remainingTokens: 6))
            _ = try eight.step(&s8, context: StepContext(model: model, remainingTokens: 6))
            let single = try #require(one.lastResult).best
            let all = try #require(eight.lastResult)
            #expect(all.candidates[0].tokens == single.tokens)
            #expect(all.best.score >= single.score)
        }
    }

    /// Candidates share sessions while their tokens agree, and that changes nothing: candidate
    /// `i` is exactly plain sampling with generator stream `i`, and each distinct prefix is
    /// evaluated once (every candidate ends at a stop token or the limit, unevaluated).
    @Test(arguments: [0 as UInt64, 5, 17])
    func sharedPrefixesAreEvaluatedOnce(seed: UInt64) throws {
        let model = ExactTestModel(vocabularySize: 6, seed: 13, spread: 8)
        // Without EOS every candidate runs to the limit.
        let chain = LogitProcessorChain([try BannedTokensProcessor([model.eos]), try TemperatureProcessor(0.7)])
        var search = try BestOfNStrategy(count: 8, options: SearchOptions(chain: chain, seed: seed))
        var session = try model.makeSession(prompt: [0])
        _ = try search.step(&session, context: StepContext(model: model, remainingTokens: 10))
        let result = try #require(search.lastResult)
        var prefixes = Set<[Int]>()
        for (slot, candidate) in result.candidates.enumerated() {
            let generator = slot == 0 ? Xoshiro256StarStar(seed: seed) : Xoshiro256StarStar(seed: seed, stream: UInt64(slot))
            let plain = SamplingStrategy(chain: chain, sampler: CategoricalSampler(generator: generator))
            #expect(candidate.tokens == (try generate(model, plain, maxTokens: 10)), "candidate \(slot)")
            for end in 1..<max(1, candidate.tokens.count) { prefixes.insert(Array(candidate.tokens.prefix(end))) }
        }
        #expect(result.statistics.tokensEvaluated == prefixes.count)
        let unshared = result.candidates.reduce(0) { $0 + max(0, $1.tokens.count - 1) }
        #expect(result.statistics.tokensEvaluated < unshared, "candidates share prefixes with this peaked model")
    }

    /// Majority vote picks the most frequent extracted answer; weighted vote the largest sum.
    @Test func votesCountExtractedAnswers() throws {
        let model = ExactTestModel(vocabularySize: 16, seed: 13)
        let extraction = AnswerExtraction.regex(pattern: "^.", group: 0)
        var search = try BestOfNStrategy(count: 12, selection: .majorityVote(extraction), options: SearchOptions(seed: 4),
                                         decoder: model)
        var session = try model.makeSession(prompt: [0])
        _ = try search.step(&session, context: StepContext(model: model, remainingTokens: 4))
        let result = try #require(search.lastResult)
        var votes: [String: Int] = [:]
        for candidate in result.candidates {
            if let answer = extraction.extract(from: candidate.text) { votes[ReferenceVerifier.normalized(answer), default: 0] += 1 }
        }
        let winner = ReferenceVerifier.normalized(try #require(extraction.extract(from: result.best.text)))
        #expect(votes[winner] == votes.values.max())
    }

    @Test func rejectsBadParameters() {
        #expect(throws: SearchError.invalidParameter(name: "candidate count N", value: "0", requirement: "at least 1")) {
            try BestOfNStrategy(count: 0)
        }
        #expect(throws: SearchError.self) {
            try BestOfNStrategy(count: 2, selection: .majorityVote(.regex(pattern: "(", group: 0)))
        }
        #expect(throws: SearchError.invalidParameter(name: "stop string", value: "\"\"", requirement: "non-empty")) {
            try BestOfNStrategy(count: 2, options: SearchOptions(stopStrings: [""]))
        }
    }
}
