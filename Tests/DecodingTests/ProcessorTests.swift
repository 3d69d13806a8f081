import Foundation
import Testing
import Decoding

/// One processor case: probabilities in, probabilities out (token order, 0 = masked).
struct ProcessorFixture: Sendable, CustomTestStringConvertible {
    var name: String
    var make: @Sendable () throws -> any LogitProcessor
    var input: [Float]
    var history: [Int] = []
    var expected: [Float]
    var testDescription: String { name }
}

/// llama.cpp's tests/test-sampling.cpp cases (renormalized, in token order), and the like for
/// the processors it does not cover.
let processorFixtures: [ProcessorFixture] = [
    .init(name: "temperature 1", make: { try TemperatureProcessor(1) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0.1, 0.2, 0.3, 0.4]),
    .init(name: "temperature 0", make: { try TemperatureProcessor(0) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 0, 0, 1]),
    .init(name: "temperature 0.5", make: { try TemperatureProcessor(0.5) }, input: [0.1, 0.2, 0.3, 0.4],
          expected: [0.01, 0.04, 0.09, 0.16].map { $0 / 0.3 }),
    .init(name: "temperature 2", make: { try TemperatureProcessor(2) }, input: [0.1, 0.2, 0.3, 0.4],
          expected: { let r = [0.1, 0.2, 0.3, 0.4].map { sqrtf($0) }; let s = r.reduce(0, +); return r.map { $0 / s } }()),
    .init(name: "top-k 1", make: { try TopKProcessor(1) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 0, 0, 1]),
    .init(name: "top-k 3", make: { try TopKProcessor(3) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 0.22222, 0.33333, 0.44444]),
    .init(name: "top-k 4", make: { try TopKProcessor(4) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0.1, 0.2, 0.3, 0.4]),
    .init(name: "top-k 10", make: { try TopKProcessor(10) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0.1, 0.2, 0.3, 0.4]),
    .init(name: "top-p 0.7", make: { try TopPProcessor(0.7) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 0, 0.428571, 0.571429]),
    .init(name: "top-p 0.8", make: { try TopPProcessor(0.8) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 0.22222, 0.33333, 0.44444]),
    .init(name: "top-p 1", make: { try TopPProcessor(1) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0.1, 0.2, 0.3, 0.4]),
    .init(name: "top-p 0.1", make: { try TopPProcessor(0.1) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 0, 0, 1]),
    .init(name: "min-p 0", make: { try MinPProcessor(0) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0.1, 0.2, 0.3, 0.4]),
    .init(name: "min-p 0.24", make: { try MinPProcessor(0.24) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0.1, 0.2, 0.3, 0.4]),
    .init(name: "min-p 0.26", make: { try MinPProcessor(0.26) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 0.2 / 0.9, 0.3 / 0.9, 0.4 / 0.9]),
    .init(name: "min-p 0.49", make: { try MinPProcessor(0.49) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 0.2 / 0.9, 0.3 / 0.9, 0.4 / 0.9]),
    .init(name: "min-p 0.51", make: { try MinPProcessor(0.51) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 0, 0.3 / 0.7, 0.4 / 0.7]),
    .init(name: "min-p 0.74", make: { try MinPProcessor(0.74) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 0, 0.3 / 0.7, 0.4 / 0.7]),
    .init(name: "min-p 0.76", make: { try MinPProcessor(0.76) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 0, 0, 1]),
    .init(name: "min-p 1", make: { try MinPProcessor(1) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 0, 0, 1]),
    .init(name: "typical 0.5 peaked", make: { try TypicalProcessor(0.5) }, input: [0.97, 0.01, 0.01, 0.01], expected: [1, 0, 0, 0]),
    .init(name: "typical 0.5 flat tail", make: { try TypicalProcessor(0.5) }, input: [0.4, 0.2, 0.2, 0.2],
          expected: [0, 1.0 / 3, 1.0 / 3, 1.0 / 3]),
    .init(name: "typical 1", make: { try TypicalProcessor(1) }, input: [0.4, 0.2, 0.2, 0.2], expected: [0.4, 0.2, 0.2, 0.2]),
    .init(name: "repeat 50, last {0}", make: { try PenaltiesProcessor(repeatPenalty: 50, lastN: 1) },
          input: [0.2, 0.2, 0.2, 0.2, 0.2], history: [0], expected: [0, 0.25, 0.25, 0.25, 0.25]),
    .init(name: "repeat 50, last {0,1,2}", make: { try PenaltiesProcessor(repeatPenalty: 50, lastN: 3) },
          input: [0.2, 0.2, 0.2, 0.2, 0.2], history: [0, 1, 2], expected: [0, 0, 0, 0.5, 0.5]),
    .init(name: "repeat 50, last {0,1,2,0,0}", make: { try PenaltiesProcessor(repeatPenalty: 50, lastN: 5) },
          input: [0.2, 0.2, 0.2, 0.2, 0.2], history: [0, 1, 2, 0, 0], expected: [0, 0, 0, 0.5, 0.5]),
    .init(name: "freq 5 presence 5, last {0}", make: { try PenaltiesProcessor(frequencyPenalty: 5, presencePenalty: 5, lastN: 1) },
          input: [0.2, 0.2, 0.2, 0.2, 0.2], history: [0], expected: [0.000011, 0.249997, 0.249997, 0.249997, 0.249997]),
    .init(name: "freq 5 presence 5, last {0,1,2}", make: { try PenaltiesProcessor(frequencyPenalty: 5, presencePenalty: 5, lastN: 3) },
          input: [0.2, 0.2, 0.2, 0.2, 0.2], history: [0, 1, 2], expected: [0.000023, 0.000023, 0.000023, 0.499966, 0.499966]),
    .init(name: "freq 5 presence 5, last {0,1,2,0,0}", make: { try PenaltiesProcessor(frequencyPenalty: 5, presencePenalty: 5, lastN: 5) },
          input: [0.2, 0.2, 0.2, 0.2, 0.2], history: [0, 1, 2, 0, 0], expected: [0, 0.000023, 0.000023, 0.499977, 0.499977]),
    .init(name: "penalty window only sees the last 2", make: { try PenaltiesProcessor(repeatPenalty: 50, lastN: 2) },
          input: [0.2, 0.2, 0.2, 0.2, 0.2], history: [0, 1, 2], expected: [1.0 / 3, 0, 0, 1.0 / 3, 1.0 / 3]),
    .init(name: "penalty window -1 is the whole history", make: { try PenaltiesProcessor(repeatPenalty: 50, lastN: -1) },
          input: [0.2, 0.2, 0.2, 0.2, 0.2], history: [0, 1, 2], expected: [0, 0, 0, 0.5, 0.5]),
    .init(name: "logit bias", make: { try LogitBiasProcessor([0: logf(3), 3: -.infinity]) }, input: [0.1, 0.2, 0.3, 0.4],
          expected: [0.3 / 0.8, 0.2 / 0.8, 0.3 / 0.8, 0]),
    .init(name: "allowed {1, 3}", make: { try AllowedTokensProcessor([1, 3]) }, input: [0.1, 0.2, 0.3, 0.4], expected: [0, 1.0 / 3, 0, 2.0 / 3]),
    .init(name: "banned {3}", make: { try BannedTokensProcessor([3]) }, input: [0.1, 0.2, 0.3, 0.4], expected: [1.0 / 6, 2.0 / 6, 3.0 / 6, 0]),
]

/// A constructor call that must fail with `invalidParameter(message)`.
struct BadParameter: Sendable, CustomTestStringConvertible {
    var message: String
    var make: @Sendable () throws -> Void
    init(_ message: String, _ make: @escaping @Sendable () throws -> Void) {
        self.message = message
        self.make = make
    }
    var testDescription: String { message }
}

@Suite struct ProcessorTests {
    @Test(arguments: processorFixtures)
    func matchesReferenceProbabilities(_ fixture: ProcessorFixture) throws {
        let processor = try fixture.make()
        var row = try logits(fromProbabilities: fixture.input)
        var stage = processor
        try stage.apply(to: &row, history: fixture.history)
        expectClose(row.probabilities, fixture.expected)
    }

    @Test(arguments: [
        BadParameter("topK must be positive, got 0") { _ = try TopKProcessor(0) },
        BadParameter("topK must be positive, got -3") { _ = try TopKProcessor(-3) },
        BadParameter("topP must be in (0, 1], got 0.0") { _ = try TopPProcessor(0) },
        BadParameter("topP must be in (0, 1], got 1.5") { _ = try TopPProcessor(1.5) },
        BadParameter("topP must be in (0, 1], got nan") { _ = try TopPProcessor(.nan) },
        BadParameter("minP must be in [0, 1], got -0.1") { _ = try MinPProcessor(-0.1) },
        BadParameter("minP must be in [0, 1], got 1.05") { _ = try MinPProcessor(1.05) },
        BadParameter("typicalP must be in (0, 1], got 0.0") { _ = try TypicalProcessor(0) },
        BadParameter("temperature must be finite and non-negative, got -1.0") { _ = try TemperatureProcessor(-1) },
        BadParameter("temperature must be finite and non-negative, got nan") { _ = try TemperatureProcessor(.nan) },
        BadParameter("temperature must be finite and non-negative, got inf") { _ = try TemperatureProcessor(.infinity) },
        BadParameter("repeatPenalty must be finite and positive, got -1.0") { _ = try PenaltiesProcessor(repeatPenalty: -1) },
        BadParameter("repeatPenalty must be finite and positive, got 0.0") { _ = try PenaltiesProcessor(repeatPenalty: 0) },
        BadParameter("frequencyPenalty must be finite and non-negative, got -0.5") { _ = try PenaltiesProcessor(frequencyPenalty: -0.5) },
        BadParameter("presencePenalty must be finite and non-negative, got nan") { _ = try PenaltiesProcessor(presencePenalty: .nan) },
        BadParameter("repeatLastN must be -1 (whole history), 0 (off) or positive, got -2") { _ = try PenaltiesProcessor(lastN: -2) },
        BadParameter("logit bias token must be non-negative, got -1") { _ = try LogitBiasProcessor([-1: 1]) },
        BadParameter("logit bias for token 2 must be finite or -inf, got inf") { _ = try LogitBiasProcessor([2: .infinity]) },
        BadParameter("allowed token set must not be empty") { _ = try AllowedTokensProcessor([]) },
        BadParameter("banned token ids must be non-negative, got -4") { _ = try BannedTokensProcessor([-4]) },
    ])
    func rejectsBadParameters(_ bad: BadParameter) {
        #expect(throws: SamplingError.invalidParameter(bad.message)) { try bad.make() }
    }

    @Test func repeatPenaltyDividesPositiveAndMultipliesNegativeLogits() throws {
        var row = try Logits([2, -1, 3])
        var penalties = try PenaltiesProcessor(repeatPenalty: 2, lastN: 2)
        try penalties.apply(to: &row, history: [2, 0, 1])
        #expect(row.values == [1, -2, 3])
    }

    @Test func processorsReportTypedErrorsOnImpossibleInput() throws {
        var row = try Logits([0, 1, 2])
        var allowed = try AllowedTokensProcessor([7])
        #expect(throws: SamplingError.tokenOutOfRange(7, vocabularySize: 3)) { try allowed.apply(to: &row, history: []) }
        var banned = try BannedTokensProcessor([0, 1, 2])
        #expect(throws: SamplingError.allTokensMasked) { try banned.apply(to: &row, history: []) }
        var bias = try LogitBiasProcessor([0: -.infinity, 1: -.infinity, 2: -.infinity])
        #expect(throws: SamplingError.allTokensMasked) { try bias.apply(to: &row, history: []) }
        var penalties = try PenaltiesProcessor(repeatPenalty: 2)
        #expect(throws: SamplingError.tokenOutOfRange(5, vocabularySize: 3)) { try penalties.apply(to: &row, history: [5]) }
    }

    @Test func truncationKeepsAtLeastOneTokenOnLargeRows() throws {
        var generator = Xoshiro256StarStar(seed: 11)
        let values = (0..<5000).map { _ in Float(generator.nextUnitInterval() * 8 - 4) }
        var chain = LogitProcessorChain([try TopPProcessor(0.5), try TopKProcessor(100), try MinPProcessor(0.2)])
        let row = try chain.processed(Logits(values), history: [])
        #expect(row.unmaskedCount >= 1 && row.unmaskedCount <= 100)
        let kept = row.values.enumerated().filter { $0.element != -.infinity }.map(\.offset)
        let threshold = kept.map { values[$0] }.min() ?? 0
        // Truncation keeps a prefix of the ranking: every dropped token is below every kept one.
        for (token, value) in values.enumerated() where row.isMasked(token) { #expect(value <= threshold) }
    }
}
