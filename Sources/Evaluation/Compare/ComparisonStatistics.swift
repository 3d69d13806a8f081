import Decoding
import Foundation

/// How sure a comparison is: each strategy's mean score with a 95 % interval, and each
/// strategy's paired difference from a baseline with its interval, wins / ties / losses, a
/// p-value and the smallest difference the task count could detect.
///
/// The unit of resampling is the task: a task's seeds form a cluster (Miller, "Adding Error Bars
/// to Evals", 2024, arXiv 2411.00640), so a strategy's score on a task is the mean over its
/// seeds, and every interval comes from a percentile bootstrap that draws tasks with replacement
/// and keeps each drawn task's seeds together. The generator is seeded
/// (``Settings/seed``), so the same records always give the same table; tasks are taken in the
/// order of their ids, so the order records arrive in (a resumed or merged run) changes nothing.
///
/// - p-value: an exact McNemar test (two-sided binomial test on the discordant tasks) when every
///   paired task score is 0 or 1, otherwise a paired sign-flip permutation test of the mean
///   difference (exact over all 2^m sign patterns of the m nonzero differences up to
///   ``Settings/exactPermutationLimit``, else ``Settings/permutations`` random patterns).
/// - Minimum detectable difference at 80 % power and α = 0.05 (two-sided), from the paired
///   differences' sample standard deviation s_d over n tasks:
///   `MDE = (z₀.₉₇₅ + z₀.₈₀) · s_d / √n = 2.8016 · s_d / √n`.
///
/// - Complexity: O(B · n · s) for B resamples, n tasks and s strategies, plus O(2^m) per
///   comparison for the exact permutation test (m ≤ 20 by default): milliseconds for a run.
public struct ComparisonStatistics: Sendable, Hashable, Codable {
    /// The knobs of the statistics; the defaults are what `decode compare` prints.
    public struct Settings: Sendable, Hashable, Codable {
        /// Bootstrap resamples per interval.
        public var resamples: Int
        /// Seed of the bootstrap and of random sign patterns.
        public var seed: UInt64
        /// Coverage of the intervals (0.95).
        public var confidence: Double
        /// Exact sign-flip enumeration up to this many nonzero paired differences.
        public var exactPermutationLimit: Int
        /// Random sign patterns beyond that limit.
        public var permutations: Int

        /// Settings; the defaults: 10 000 resamples, seed 0, 95 %, exact up to 20, 100 000 patterns.
        ///
        /// - Throws: ``ComparisonError/invalidStatistics(_:)`` for a count below 1, a confidence
        ///   outside (0, 1) or a limit above 30.
        public init(resamples: Int = 10_000, seed: UInt64 = 0, confidence: Double = 0.95,
                    exactPermutationLimit: Int = 20, permutations: Int = 100_000) throws(ComparisonError) {
            guard resamples >= 1, permutations >= 1 else {
                throw .invalidStatistics("resamples and permutations must be at least 1")
            }
            guard confidence > 0 && confidence < 1 else { throw .invalidStatistics("confidence must lie in (0, 1), got \(confidence)") }
            guard (0...30).contains(exactPermutationLimit) else {
                throw .invalidStatistics("the exact permutation limit must lie in 0...30, got \(exactPermutationLimit)")
            }
            self.init(valid: resamples, seed, confidence, exactPermutationLimit, permutations)
        }

        private init(valid resamples: Int, _ seed: UInt64, _ confidence: Double, _ exactPermutationLimit: Int, _ permutations: Int) {
            self.resamples = resamples
            self.seed = seed
            self.confidence = confidence
            self.exactPermutationLimit = exactPermutationLimit
            self.permutations = permutations
        }

        /// The defaults: 10 000 resamples, seed 0, 95 %, exact up to 20, 100 000 patterns.
        public static let standard = Settings(valid: 10_000, 0, 0.95, 20, 100_000)
    }

    /// The strategy every other one is compared with.
    public var baseline: String
    /// Tasks with at least one record.
    public var tasks: Int
    /// The most seeds any task × strategy has.
    public var seeds: Int

    /// `30 tasks × 3 seeds`, and which strategies have fewer seeds (those that ignore the seed).
    public var runsDescription: String {
        func count(_ n: Int) -> String { n == 1 ? "1 seed" : "\(n) seeds" }
        let fewer = strategies.filter { $0.seeds < seeds }
        guard !fewer.isEmpty else { return "\(tasks) tasks × \(count(seeds))" }
        let names = fewer.map { "\($0.strategy) \($0.seeds)" }.joined(separator: ", ")
        return "\(tasks) tasks × \(count(seeds)) (seeds per task: \(names))"
    }
    /// One entry per strategy, in the order given.
    public var strategies: [StrategyStatistics]
    /// How the numbers were computed.
    public var settings: Settings

    /// (z₀.₉₇₅ + z₀.₈₀): the multiplier of s_d/√n in the minimum detectable difference.
    public static let detectableMultiplier = 1.959_963_984_540_054 + 0.841_621_233_572_914_3

    /// The statistics of `records` for `strategies` against `baseline` (default the first).
    /// A record's score is its task score (0 when it failed or has none), as in ``ComparisonRow``.
    ///
    /// - Throws: ``ComparisonError/unknownBaseline(_:strategies:)`` when `baseline` is not
    ///   among `strategies`; ``ComparisonError/invalidStatistics(_:)`` when `strategies` is empty.
    public init(records: [ComparisonRecord], strategies: [String], baseline: String? = nil,
                settings: Settings = .standard) throws(ComparisonError) {
        guard let first = strategies.first else { throw .invalidStatistics("no strategy to summarize") }
        let baseline = baseline ?? first
        guard strategies.contains(baseline) else { throw .unknownBaseline(baseline, strategies: strategies) }
        self.baseline = baseline
        self.settings = settings
        var scores: [String: [String: (sum: Double, count: Int)]] = [:]
        for record in records where strategies.contains(record.strategy) {
            let score = record.failure == nil ? record.taskScore ?? 0 : 0
            let old = scores[record.strategy, default: [:]][record.task] ?? (0, 0)
            scores[record.strategy, default: [:]][record.task] = (old.sum + score, old.count + 1)
        }
        let taskMeans = scores.mapValues { $0.mapValues { $0.sum / Double($0.count) } }
        tasks = Set(scores.values.flatMap(\.keys)).count
        seeds = scores.values.flatMap { $0.values.map(\.count) }.max() ?? 0
        let base = taskMeans[baseline] ?? [:]
        self.strategies = strategies.map { strategy in
            let mine = taskMeans[strategy] ?? [:]
            let ids = mine.keys.sorted()
            let values = ids.map { mine[$0]! }
            let (low, high) = Self.bootstrapInterval(values, settings: settings)
            var paired: PairedComparison?
            if strategy != baseline {
                let shared = ids.filter { base[$0] != nil }
                paired = PairedComparison(baseline: shared.map { base[$0]! }, strategy: shared.map { mine[$0]! }, settings: settings)
            }
            let runs = (scores[strategy] ?? [:]).values.map(\.count)
            return StrategyStatistics(strategy: strategy, tasks: values.count, seeds: runs.max() ?? 0, mean: Self.mean(values),
                                      low: low, high: high, paired: paired)
        }
    }

    /// The statistics of `strategy`, if it was summarized.
    public subscript(strategy: String) -> StrategyStatistics? { strategies.first { $0.strategy == strategy } }

    /// A sentence naming the bootstrap, the resample count, the tests and the MDE formula.
    public var method: String {
        let percent = fixed(settings.confidence * 100, 0)
        return "\(percent) % intervals: percentile cluster bootstrap over tasks (a task's seeds resampled together), "
            + "\(settings.resamples) resamples, seed \(settings.seed); p: exact McNemar test when task scores are 0/1, "
            + "else paired sign-flip permutation test (exact up to \(settings.exactPermutationLimit) differing tasks); "
            + "MDE: smallest difference detectable at 80 % power, α = 0.05: (z₀.₉₇₅ + z₀.₈₀)·s_d/√n = 2.80·s_d/√n"
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// The percentile bootstrap interval of the mean of `values` (one value per task).
    static func bootstrapInterval(_ values: [Double], settings: Settings) -> (low: Double, high: Double) {
        guard !values.isEmpty else { return (0, 0) }
        var generator = Xoshiro256StarStar(seed: settings.seed)
        let n = values.count
        var means = [Double](repeating: 0, count: settings.resamples)
        for b in 0..<settings.resamples {
            var sum = 0.0
            for _ in 0..<n { sum += values[Int(generator.nextUnitInterval() * Double(n))] }
            means[b] = sum / Double(n)
        }
        means.sort()
        let tail = (1 - settings.confidence) / 2
        return (quantile(sorted: means, tail), quantile(sorted: means, 1 - tail))
    }

    /// The `p` quantile of sorted values, linearly interpolated (NumPy's default, Hyndman & Fan type 7).
    static func quantile(sorted values: [Double], _ p: Double) -> Double {
        let h = Double(values.count - 1) * p
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, values.count - 1)
        return values[lower] + (h - Double(lower)) * (values[upper] - values[lower])
    }
}

/// One strategy's mean score over tasks, its interval, and its comparison with the baseline.
public struct StrategyStatistics: Sendable, Hashable, Codable {
    /// The strategy.
    public var strategy: String
    /// Tasks it has records for.
    public var tasks: Int
    /// The most seeds it has on a task.
    public var seeds: Int
    /// Mean over tasks of the mean over seeds.
    public var mean: Double
    /// Lower end of the bootstrap interval.
    public var low: Double
    /// Upper end of the bootstrap interval.
    public var high: Double
    /// The paired comparison with the baseline (`nil` for the baseline itself).
    public var paired: PairedComparison?
}
