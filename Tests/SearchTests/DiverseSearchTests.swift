import Foundation
import Testing
import Decoding
import DecodingTestSupport
import Search

@Suite struct DiverseSearchTests {
    /// A schedule of all ones keeps the only candidate at every stage: exactly sampling.
    @Test(arguments: [0 as UInt64, 7, 123])
    func scheduleOfOnesEqualsSampling(seed: UInt64) throws {
        let model = ExactTestModel(vocabularySize: 16, seed: 3, contextLength: 128)
        let chain = LogitProcessorChain([try TemperatureProcessor(0.9)])
        let reference = try generate(model, sampling(seed: seed, chain: chain), maxTokens: 20)
        let search = try DiverseSearchStrategy(schedule: [1, 1, 1, 1], delimiters: [3, 4, 10], maxSegmentLength: 4,
                                               options: SearchOptions(chain: chain, seed: seed), decoder: model)
        #expect(try generate(model, search, maxTokens: 20) == reference)
    }

    /// The default schedule runs, ends with one candidate per last batch size, spends less than
    /// 8 independent samples would, and is deterministic under its seed.
    @Test func defaultScheduleNarrowsAndIsDeterministic() throws {
        let model = ExactTestModel(vocabularySize: 16, seed: 5, contextLength: 256)
        func run() throws -> SearchResult {
            var search = try DiverseSearchStrategy(delimiters: [3, 4, 10], maxSegmentLength: 3,
                                                   options: SearchOptions(seed: 77), decoder: model)
            var session = try model.makeSession(prompt: [0])
            _ = try search.step(&session, context: StepContext(model: model, remainingTokens: 40))
            return try #require(search.lastResult)
        }
        let first = try run()
        #expect(first == (try run()))
        #expect(first.candidates.count == 1 || first.candidates.allSatisfy(\.isFinished))
        #expect(first.statistics.branchesTried > 8)
    }

    @Test func kMeansIsDeterministicUnderASeed() throws {
        var generator = Xoshiro256StarStar(seed: 5)
        let points = (0..<40).map { i in
            (0..<3).map { _ in Float(generator.nextUnitInterval()) + Float(i % 4) * 3 }
        }
        let a = try KMeans(points: points, k: 4, seed: 9)
        let b = try KMeans(points: points, k: 4, seed: 9)
        #expect(a.centres == b.centres && a.assignment == b.assignment)
        // Four well-separated groups are recovered: points i and j share a cluster iff i ≡ j (mod 4).
        for i in points.indices { for j in points.indices {
            #expect((a.assignment[i] == a.assignment[j]) == (i % 4 == j % 4))
        } }
        let representatives = a.representatives(of: points)
        #expect(Set(representatives).count == 4)
        #expect(Set(representatives.map { $0 % 4 }).count == 4)
    }

    @Test func kMeansRejectsBadInput() {
        #expect(throws: SearchError.invalidParameter(name: "cluster count", value: "0", requirement: "at least 1")) {
            try KMeans(points: [[1]], k: 0, seed: 1)
        }
        #expect(throws: SearchError.invalidParameter(name: "point count", value: "0", requirement: "at least 1")) {
            try KMeans(points: [], k: 2, seed: 1)
        }
        #expect(throws: SearchError.invalidParameter(name: "width of point 1", value: "1", requirement: "2 like point 0")) {
            try KMeans(points: [[1, 2], [3]], k: 2, seed: 1)
        }
    }

    @Test func rejectsBadSchedules() {
        #expect(throws: SearchError.invalidParameter(name: "batch schedule", value: "[]", requirement: "at least one batch size")) {
            try DiverseSearchStrategy(schedule: [], delimiters: [])
        }
        #expect(throws: SearchError.invalidParameter(name: "batch size 2 of the schedule", value: "0", requirement: "at least 1")) {
            try DiverseSearchStrategy(schedule: [2, 0], delimiters: [])
        }
        #expect(throws: SearchError.invalidParameter(name: "batch schedule", value: "[2, 4]", requirement: "non-increasing")) {
            try DiverseSearchStrategy(schedule: [2, 4], delimiters: [])
        }
        #expect(throws: SearchError.invalidParameter(name: "lambda", value: "nan", requirement: "finite and ≥ 0")) {
            try DiverseSearchStrategy(lambda: .nan, delimiters: [])
        }
    }
}
