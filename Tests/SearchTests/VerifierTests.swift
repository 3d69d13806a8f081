import Foundation
import Testing
import Decoding
import DecodingTestSupport
import Search

@Suite struct VerifierTests {
    @Test(arguments: [
        ("The answer is 42.", AnswerExtraction.lastNumber, "42" as String?),
        ("3 apples and -17 pears", .lastNumber, "-17"),
        ("costs 1,234.50 dollars", .lastNumber, "1234.50"),
        ("no digits here", .lastNumber, nil),
        ("step 1: think\nAnswer: Paris\nbye", .afterMarker("Answer:"), "Paris"),
        ("Answer: 1\nAnswer:  2 ", .afterMarker("Answer:"), "2"),
        ("nothing", .afterMarker("Answer:"), nil),
        ("name=Ada age=36", .regex(pattern: "age=(\\d+)", group: 1), "36"),
        ("name=Ada", .regex(pattern: "age=(\\d+)", group: 1), nil),
        ("  spaced out \n", .wholeText, "spaced out"),
    ])
    func extraction(text: String, extraction: AnswerExtraction, expected: String?) {
        #expect(extraction.extract(from: text) == expected)
    }

    @Test(arguments: [
        ("Paris", "paris.", ReferenceVerifier.Mode.exact, AnswerExtraction.wholeText, true),
        ("The capital is Paris", "Paris", .exact, .wholeText, false),
        ("The capital is Paris", "Paris", .contains, .wholeText, true),
        ("It is 12.0", "12", .numeric, .lastNumber, true),
        ("It is 12.5", "12", .numeric, .lastNumber, false),
        ("Answer: 7 apples", "7", .numeric, .afterMarker("Answer:"), true),
        ("no answer", "7", .numeric, .afterMarker("Answer:"), false),
        ("x", "", .contains, .wholeText, false),
    ])
    func referenceComparison(text: String, reference: String, mode: ReferenceVerifier.Mode,
                             extraction: AnswerExtraction, expected: Bool) throws {
        let verifier = try ReferenceVerifier(reference: reference, mode: mode, extraction: extraction)
        #expect(verifier.scores([VerifierCandidate(text: text)]) == [expected ? 1 : 0])
    }

    @Test func badExtractionPatternsAreTypedErrors() {
        #expect(throws: SearchError.invalidPattern("(", reason: "does not compile")) {
            try ReferenceVerifier(reference: "1", extraction: .regex(pattern: "(", group: 0))
        }
        #expect(throws: SearchError.invalidPattern("a(b)", reason: "has 1 groups, not group 2")) {
            try ReferenceVerifier(reference: "1", extraction: .regex(pattern: "a(b)", group: 2))
        }
    }

    @Test func combinedVerifierSumsOrRanks() throws {
        let exact = try ReferenceVerifier(reference: "b")
        let logp = MeanLogProbabilityVerifier()
        let candidates = [
            VerifierCandidate(text: "a", logProbabilities: [-1]), VerifierCandidate(text: "b", logProbabilities: [-3]),
            VerifierCandidate(text: "c", logProbabilities: [-2]),
        ]
        let sum = try CombinedVerifier([(exact, 2), (logp, 1)])
        #expect(try sum.scores(candidates) == [-1, -1, -2])
        let rank = try CombinedVerifier([(exact, 1), (logp, 1)], method: .rank)
        // exact ranks: a,c tie at 0.25, b 1; logp ranks: b 0, c 0.5, a 1.
        #expect(try rank.scores(candidates) == [1.25, 1, 0.75])
        #expect(CombinedVerifier.ranks([5]) == [1])
        #expect(throws: SearchError.self) { try CombinedVerifier([]) }
        #expect(throws: SearchError.self) { try CombinedVerifier([(logp, .infinity)]) }
    }

    /// The judge's mean log-probability equals the exact one of the second model.
    @Test func judgeModelScoresByExactLogProbability() throws {
        let judge = ExactTestModel(vocabularySize: 8, seed: 99)
        let verifier = try JudgeModelVerifier(judge: judge, judgePrompt: [1, 2])
        let tokens = [3, 0, 5, 4]
        let score = try verifier.score(VerifierCandidate(tokens: tokens, text: ""))
        let exact = log(try judge.probability(of: tokens, after: [1, 2])) / Double(tokens.count)
        #expect(abs(score - exact) < 1e-5)
        #expect(throws: SearchError.tokenOutOfJudgeVocabulary(9, vocabularySize: 8)) {
            try verifier.scores([VerifierCandidate(tokens: [9], text: "")])
        }
        #expect(throws: SearchError.self) { try JudgeModelVerifier(judge: judge, judgePrompt: []) }
    }

    /// Scoring after a session that already holds the judge prompt gives the same exact scores,
    /// leaves the session as it was, and refuses a session holding other tokens.
    @Test func judgeScoresAfterAPrefilledSession() throws {
        let judge = ExactTestModel(vocabularySize: 8, seed: 99)
        let verifier = try JudgeModelVerifier(judge: judge, judgePrompt: [1, 2])
        let session = try judge.makeSession(prompt: [1, 2])
        let candidates = [[3, 0, 5, 4], [6], [2, 2]].map { VerifierCandidate(tokens: $0, text: "") }
        let shared = try verifier.scores(candidates, after: session)
        for (score, candidate) in zip(shared, candidates) {
            let exact = log(try judge.probability(of: candidate.tokens, after: [1, 2])) / Double(candidate.tokens.count)
            #expect(abs(score - exact) < 1e-5)
        }
        #expect(session.tokens == [1, 2])
        #expect(try verifier.scores(candidates, after: session) == shared)
        #expect(throws: SearchError.self) {
            try verifier.scores(candidates, after: try judge.makeSession(prompt: [1, 3]))
        }
    }

    /// A best-of-N search with a judge verifier commits the candidate the judge likes best.
    @Test func searchUsesTheVerifier() throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 1)
        let judge = ExactTestModel(vocabularySize: 8, seed: 2)
        var search = try BestOfNStrategy(count: 5, verifier: try JudgeModelVerifier(judge: judge, judgePrompt: [0]),
                                         options: SearchOptions(seed: 8))
        var session = try model.makeSession(prompt: [0])
        _ = try search.step(&session, context: StepContext(model: model, remainingTokens: 5))
        let result = try #require(search.lastResult)
        for candidate in result.candidates {
            let exact = log(try judge.probability(of: candidate.tokens, after: [0])) / Double(candidate.tokens.count)
            #expect(abs(candidate.score - exact) < 1e-5)
        }
        #expect(result.best.score == result.candidates.map(\.score).max())
    }
}
