import Foundation
import Decoding

/// Diversity-preserving search over segments after TTS-VAR (Chen et al., "TTS-VAR: a test-time
/// scaling framework for visual auto-regressive generation", 2025), for text.
///
/// Stage s holds `schedule[s]` candidates; each is extended by one sampled segment (all
/// together, one `appendBatch` per position). Then `schedule[s+1]` survivors are selected:
/// at the first ``clusterStages`` transitions by clustering — each candidate is embedded as the
/// mean of the model's last hidden states over its tokens, k-means (seeded k-means++) with
/// k = the next batch size, and the candidate nearest each centre survives; at later
/// transitions by resampling — survivors drawn with replacement with probability
/// ∝ exp(λ · score) (the verifier's partial score, or the mean log-probability when it has
/// none). A survivor drawn twice continues as two candidates with different generators. After
/// the schedule the last batch size continues until every candidate is finished, and the best
/// finished candidate by the verifier is committed.
///
/// With a schedule of all ones every selection keeps the only candidate, so the search is
/// exactly ``SamplingStrategy`` with the same seed.
public struct DiverseSearchStrategy: SearchStrategy {
    /// TTS-VAR's default batch schedule.
    public static let defaultSchedule = [8, 8, 6, 6, 6, 4, 2, 2, 2, 1]

    /// Batch size at each stage (non-increasing).
    public let schedule: [Int]
    /// How many transitions (from the first) select by clustering; later ones resample.
    public let clusterStages: Int
    /// Sharpness λ of the resampling weights exp(λ · score).
    public let lambda: Double
    /// Tokens that end a segment.
    public let delimiters: Set<Int>
    /// Longest segment.
    public let maxSegmentLength: Int
    /// Scores candidates (partial ones while resampling, finished ones at the end).
    public let verifier: any Verifier
    /// Sampling, stop strings, budget.
    public let options: SearchOptions
    /// Gives candidates their text.
    public let decoder: (any TokenDecoder)?
    /// The last step's final candidates.
    public private(set) var lastResult: SearchResult?
    private var generators: [Int: Xoshiro256StarStar] = [:]
    private var selectionGenerator: Xoshiro256StarStar

    /// A diverse search.
    ///
    /// - Throws: ``SearchError/invalidParameter(name:value:requirement:)`` for an empty
    ///   schedule, a batch size below 1, an increasing schedule, a segment length below 1, a
    ///   negative cluster stage count, a λ that is negative or not finite, or bad options.
    public init(schedule: [Int] = DiverseSearchStrategy.defaultSchedule, clusterStages: Int? = nil, lambda: Double = 10,
                delimiters: Set<Int>, maxSegmentLength: Int = 32, verifier: any Verifier = MeanLogProbabilityVerifier(),
                options: SearchOptions = SearchOptions(), decoder: (any TokenDecoder)? = nil) throws {
        guard !schedule.isEmpty else {
            throw SearchError.invalidParameter(name: "batch schedule", value: "[]", requirement: "at least one batch size")
        }
        for (i, size) in schedule.enumerated() { try SearchError.requirePositive(size, "batch size \(i + 1) of the schedule") }
        for i in schedule.indices.dropFirst() where schedule[i] > schedule[i - 1] {
            throw SearchError.invalidParameter(name: "batch schedule", value: "\(schedule)", requirement: "non-increasing")
        }
        try SearchError.requirePositive(maxSegmentLength, "segment length")
        let stages = clusterStages ?? schedule.count / 2
        try SearchError.requireNonNegative(stages, "cluster stages")
        try SearchError.requireFiniteNonNegative(lambda, "lambda")
        try options.validate()
        self.schedule = schedule
        self.clusterStages = stages
        self.lambda = lambda
        self.delimiters = delimiters
        self.maxSegmentLength = maxSegmentLength
        self.verifier = verifier
        var tracked = options
        tracked.tracksHiddenStates = true
        self.options = tracked
        self.decoder = decoder
        selectionGenerator = Xoshiro256StarStar(seed: options.seed, stream: 0x5E1EC7)
    }

    /// Runs the staged search to the end (or the step's limit) and commits the best candidate.
    public mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        var engine = SearchEngine(options: options, context: context, decoder: decoder, prompt: session.tokens,
                                  generators: generators)
        // Candidates share the session while their tokens agree and get forks as they diverge.
        var candidates = (0..<schedule[0]).map { Branch(session: session, chain: options.chain, slot: $0) }
        var stage = 0
        var tried = candidates.count
        while candidates.contains(where: { !$0.finished }) && !engine.exhausted {
            try engine.advanceSegment(&candidates, Array(candidates.indices), pick: .sample, delimiters: delimiters,
                                      maxLength: maxSegmentLength)
            let next = schedule[min(stage + 1, schedule.count - 1)]
            if next < candidates.count || stage + 1 > clusterStages {
                let survivors = try select(candidates, keep: next, clustering: stage < clusterStages, engine: engine)
                candidates = reslot(survivors.map { candidates[$0] })
                tried += candidates.count
            }
            stage += 1
        }
        generators = engine.generators
        let scores = try engine.score(candidates, with: verifier)
        let chosen = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) } ?? 0
        engine.statistics.branchesTried = tried
        engine.statistics.branchingSteps = stage
        lastResult = SearchResult(candidates: zip(candidates, scores).map { $0.candidate(score: $1) }, chosen: chosen,
                                  statistics: engine.statistics)
        return engine.commit(candidates[chosen], to: &session)
    }

    /// Indices of the survivors.
    private mutating func select(_ candidates: [Branch], keep: Int, clustering: Bool, engine: SearchEngine) throws -> [Int] {
        if candidates.count == 1 { return [Int](repeating: 0, count: keep) }
        if clustering {
            if keep >= candidates.count { return Array(candidates.indices) }
            let points = candidates.map { $0.embedding(width: engine.model.hiddenSize) }
            let kmeans = try KMeans(points: points, k: keep, seed: selectionGenerator.next())
            return kmeans.representatives(of: points)
        }
        let scores = verifier.scoresPartial ? try engine.score(candidates, with: verifier)
                                            : MeanLogProbabilityVerifier().scores(engine.inputs(candidates))
        let top = scores.max() ?? 0
        let weights = scores.map { exp(lambda * ($0 - top)) }
        let total = weights.reduce(0, +)
        return (0..<keep).map { _ in
            let target = selectionGenerator.nextUnitInterval() * total
            var cumulative = 0.0
            for (i, w) in weights.enumerated() {
                cumulative += w
                if cumulative > target { return i }
            }
            return weights.count - 1
        }
    }

    /// The survivors as candidates of slots 0…; a candidate drawn again shares its session with
    /// its copies until they diverge.
    private func reslot(_ survivors: [Branch]) -> [Branch] {
        survivors.enumerated().map { slot, branch in
            var copy = branch
            copy.slot = slot
            return copy
        }
    }

    /// Forgets the generators' positions and the last result.
    public mutating func reset() {
        generators = [:]
        lastResult = nil
        selectionGenerator = Xoshiro256StarStar(seed: options.seed, stream: 0x5E1EC7)
    }
}
