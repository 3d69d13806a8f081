import Foundation
import Testing
import Evaluation

/// The comparison statistics against values computed independently with scipy 1.17.1 by
/// `Scripts/compare-statistics-fixtures.py` (exact tests to 1e-12; the bootstrap, which draws
/// 10 000 resamples here against scipy's 200 000, within 0.01 — about five Monte Carlo
/// standard deviations of a 2.5 % quantile for these data) and hand-worked examples.
@Suite struct CompareStatisticsTests {
    /// scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue.
    static let mcnemar: [(wins: Int, losses: Int, p: Double)] = [
        (9, 2, 0.0654296875), (5, 1, 0.21875), (4, 4, 1.0), (0, 6, 0.03125), (13, 3, 0.021270751953125), (1, 0, 1.0),
    ]

    @Test("exact McNemar p-values match scipy's binomial test", arguments: mcnemar)
    func exactMcNemar(wins: Int, losses: Int, p: Double) {
        #expect(abs(PairedComparison.exactMcNemar(wins: wins, losses: losses) - p) < 1e-12)
    }

    /// scipy.stats.permutation_test((d,), np.mean, permutation_type="samples", n_resamples=inf).
    static let signFlip: [(differences: [Double], p: Double)] = [
        ([1.0 / 3, 2.0 / 3, -1.0 / 3, 0, 1, 1.0 / 3, -2.0 / 3, 1.0 / 3, 2.0 / 3, 0, 1.0 / 3, 1.0 / 3], 0.125),
        ([0.25, -0.5, 0.75, 0.5, 0.25, -0.25, 1.0, 0.5], 0.1640625),
        // Every sign pattern's sum is an odd multiple of 0.05: p = 1 needs the float tolerance.
        ([0.1, -0.2, 0.05, -0.3, 0.15, 0.2, -0.05], 1.0),
    ]

    @Test("exact sign-flip p-values match scipy's permutation test", arguments: signFlip)
    func exactSignFlip(differences: [Double], p: Double) {
        #expect(abs(PairedComparison.exactSignFlip(differences.filter { $0 != 0 }) - p) < 1e-12)
        // Through the comparison: non-0/1 scores take the sign-flip test.
        let comparison = PairedComparison(baseline: differences.map { _ in 0.5 }, strategy: differences.map { 0.5 + $0 / 2 })
        #expect(comparison.test == .exactSignFlip)
        let halved = PairedComparison.exactSignFlip(differences.filter { $0 != 0 }.map { $0 / 2 })
        #expect(abs(comparison.pValue - halved) < 1e-12 && abs(halved - p) < 1e-12)
    }

    @Test("beyond the exact limit the sign-flip test samples, seeded, and agrees with enumeration")
    func sampledSignFlip() throws {
        let differences = Self.signFlip[1].differences
        let settings = try ComparisonStatistics.Settings(exactPermutationLimit: 4, permutations: 40_000)
        let sampled = PairedComparison(baseline: differences.map { _ in 0 }, strategy: differences, settings: settings)
        #expect(sampled.test == .sampledSignFlip)
        // Binomial standard deviation of a 40 000-draw estimate of 0.164 is 0.0019: 0.01 is over 5 of them.
        #expect(abs(sampled.pValue - Self.signFlip[1].p) < 0.01)
        let again = PairedComparison(baseline: differences.map { _ in 0 }, strategy: differences, settings: settings)
        #expect(again == sampled)
    }

    @Test("0/1 scores: McNemar on the discordant tasks; wins, ties and losses counted by task")
    func binaryComparison() {
        let baseline: [Double] = [1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0]
        let strategy: [Double] = [1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1]
        let comparison = PairedComparison(baseline: baseline, strategy: strategy)
        #expect(comparison.test == .exactMcNemar)
        #expect(comparison.wins == 8 && comparison.losses == 1 && comparison.ties == 6)
        #expect(abs(comparison.difference - 7.0 / 15) < 1e-12)
        // scipy.stats.binomtest(1, 9, 0.5).pvalue = 0.0390625.
        #expect(abs(comparison.pValue - 0.0390625) < 1e-12)
        #expect(comparison.isSignificant && comparison.low > 0)
    }

    @Test("the percentile bootstrap interval of a mean matches scipy's within 0.01")
    func bootstrapMatchesScipy() throws {
        let values = [0.625, 0.897, 0.776, 0.225, 0.3, 0.874, 0.005, 0.821, 0.797, 0.468, 0.303, 0.278, 0.255, 0.445,
                      0.505, 0.553, 0.996, 0.793, 0.622, 0.989]
        let records = values.enumerated().map { record("s", task: "t\($0.offset)", seed: 0, score: $0.element) }
        let statistics = try ComparisonStatistics(records: records, strategies: ["s"])
        let s = try #require(statistics["s"])
        #expect(abs(s.mean - values.reduce(0, +) / 20) < 1e-12)
        #expect(abs(s.low - 0.4527500000000001) < 0.01, "\(s.low)")
        #expect(abs(s.high - 0.69715) < 0.01, "\(s.high)")
    }

    @Test("minimum detectable difference: 2.8016 · s_d / √n, as scipy's normal quantiles give")
    func minimumDetectable() {
        // Hand-worked: d = (1, 0, 0, −1, 1), mean 0.2, s_d² = 2.8 / 4 = 0.7; scipy: 1.0482572026029071.
        let comparison = PairedComparison(baseline: [0, 1, 0, 1, 0], strategy: [1, 1, 0, 0, 1])
        #expect(abs(comparison.minimumDetectable - 1.0482572026029071) < 1e-9)
        let d = Self.signFlip[0].differences
        let other = PairedComparison(baseline: d.map { _ in 0 }, strategy: d)
        #expect(abs(other.minimumDetectable - 0.36577004079692854) < 1e-9)
    }

    @Test("seeds are clustered within a task: three identical seeds give the one-seed interval")
    func seedsClusterWithinTasks() throws {
        let scores: [Double] = [1, 0, 1, 1, 0, 1, 0, 1, 1, 1]
        let one = scores.enumerated().map { record("s", task: "t\($0.offset)", seed: 0, score: $0.element) }
        let three = (0..<3).flatMap { seed in scores.enumerated().map { record("s", task: "t\($0.offset)", seed: UInt64(seed), score: $0.element) } }
        let a = try #require(try ComparisonStatistics(records: one, strategies: ["s"])["s"])
        let b = try #require(try ComparisonStatistics(records: three.shuffled(), strategies: ["s"])["s"])
        #expect(a.mean == b.mean && a.low == b.low && a.high == b.high && a.tasks == b.tasks)
        #expect(a.seeds == 1 && b.seeds == 3)
        let statistics = try ComparisonStatistics(records: three, strategies: ["s"])
        #expect(statistics.tasks == 10 && statistics.seeds == 3)
    }

    @Test("the same records in any order give the same statistics (seeded bootstrap, tasks by id)")
    func reproducible() throws {
        var records: [ComparisonRecord] = []
        for task in 0..<12 {
            for seed in 0..<2 {
                records.append(record("greedy", task: "t\(task)", seed: UInt64(seed), score: Double(task % 2)))
                records.append(record("beam", task: "t\(task)", seed: UInt64(seed), score: Double((task + seed) % 3 == 0 ? 0 : 1)))
            }
        }
        let first = try ComparisonStatistics(records: records, strategies: ["greedy", "beam"])
        let second = try ComparisonStatistics(records: records.reversed(), strategies: ["greedy", "beam"])
        #expect(first == second)
        #expect(first.baseline == "greedy" && first["greedy"]?.paired == nil)
        let paired = try #require(first["beam"]?.paired)
        #expect(paired.tasks == 12 && paired.test == .exactSignFlip)
        let byBeam = try ComparisonStatistics(records: records, strategies: ["greedy", "beam"], baseline: "beam")
        #expect(byBeam["greedy"]?.paired?.difference == -paired.difference)
    }

    @Test("an unknown baseline is a typed error naming the strategies")
    func unknownBaseline() {
        #expect(throws: ComparisonError.unknownBaseline("beam:8", strategies: ["greedy", "sample"])) {
            try ComparisonStatistics(records: [], strategies: ["greedy", "sample"], baseline: "beam:8")
        }
        #expect("\(ComparisonError.unknownBaseline("beam:8", strategies: ["greedy", "sample"]))"
                == "baseline 'beam:8' is not among the strategies (greedy, sample)")
    }

    @Test("settings out of range are typed errors")
    func badSettings() {
        #expect(throws: ComparisonError.self) { try ComparisonStatistics.Settings(resamples: 0) }
        #expect(throws: ComparisonError.self) { try ComparisonStatistics.Settings(confidence: 1) }
        #expect(throws: ComparisonError.self) { try ComparisonStatistics.Settings(exactPermutationLimit: 31) }
    }

    private func record(_ strategy: String, task: String, seed: UInt64, score: Double) -> ComparisonRecord {
        ComparisonRecord(strategy: strategy, task: task, seed: seed, text: "", tokens: [], taskScore: score, verifierScore: nil,
                         modelCalls: 1, tokensEvaluated: 1, seconds: 0)
    }
}
