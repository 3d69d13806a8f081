import Decoding
import Foundation

/// A strategy against the baseline on the tasks both ran: the mean paired difference with its
/// paired-bootstrap interval, wins / ties / losses over tasks, a two-sided p-value and the
/// minimum detectable difference. See ``ComparisonStatistics`` for the methods.
public struct PairedComparison: Sendable, Hashable, Codable {
    /// The test behind ``pValue``.
    public enum Test: String, Sendable, Hashable, Codable {
        /// Exact McNemar: a two-sided binomial test (p = ½) on the discordant tasks; for 0/1 scores.
        case exactMcNemar = "exact McNemar"
        /// Paired sign-flip permutation test over every sign pattern of the nonzero differences.
        case exactSignFlip = "sign-flip (exact)"
        /// Paired sign-flip permutation test over random sign patterns, p = (k + 1) / (R + 1).
        case sampledSignFlip = "sign-flip (sampled)"
    }

    /// Tasks both strategies have records for.
    public var tasks: Int
    /// Mean over tasks of (strategy − baseline).
    public var difference: Double
    /// Lower end of the paired-bootstrap interval of ``difference``.
    public var low: Double
    /// Upper end of the paired-bootstrap interval of ``difference``.
    public var high: Double
    /// Tasks where the strategy scored higher.
    public var wins: Int
    /// Tasks where both scored the same.
    public var ties: Int
    /// Tasks where the baseline scored higher.
    public var losses: Int
    /// Two-sided p-value of "no difference".
    public var pValue: Double
    /// The test that gave ``pValue``.
    public var test: Test
    /// `(z₀.₉₇₅ + z₀.₈₀) · s_d / √n`: the smallest true difference these tasks detect with 80 %
    /// power at α = 0.05, given the spread s_d of the paired differences.
    public var minimumDetectable: Double

    /// Whether the interval excludes 0.
    public var isSignificant: Bool { low > 0 || high < 0 }

    /// Compares per-task scores (`baseline[i]` and `strategy[i]` are the same task's means over seeds).
    public init(baseline: [Double], strategy: [Double], settings: ComparisonStatistics.Settings = .standard) {
        precondition(baseline.count == strategy.count, "paired scores must have one entry per task on both sides")
        let differences = zip(strategy, baseline).map { $0 - $1 }
        let n = differences.count
        tasks = n
        let mean = ComparisonStatistics.mean(differences)
        difference = mean
        (low, high) = ComparisonStatistics.bootstrapInterval(differences, settings: settings)
        let wins = differences.filter { $0 > 0 }.count
        let losses = differences.filter { $0 < 0 }.count
        self.wins = wins
        self.losses = losses
        ties = n - wins - losses
        if n > 1 {
            let variance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            minimumDetectable = ComparisonStatistics.detectableMultiplier * variance.squareRoot() / Double(n).squareRoot()
        } else {
            minimumDetectable = .infinity
        }
        let binary = (baseline + strategy).allSatisfy { $0 == 0 || $0 == 1 }
        if binary {
            test = .exactMcNemar
            pValue = Self.exactMcNemar(wins: wins, losses: losses)
        } else {
            let nonzero = differences.filter { $0 != 0 }
            if nonzero.count <= settings.exactPermutationLimit {
                test = .exactSignFlip
                pValue = Self.exactSignFlip(nonzero)
            } else {
                test = .sampledSignFlip
                pValue = Self.sampledSignFlip(nonzero, settings: settings)
            }
        }
    }

    /// Exact McNemar p-value: `min(1, 2 · P(X ≤ min(b, c)))` for X ~ Binomial(b + c, ½).
    public static func exactMcNemar(wins: Int, losses: Int) -> Double {
        let n = wins + losses
        guard n > 0 else { return 1 }
        var tail = 0.0
        for k in 0...min(wins, losses) {
            tail += exp(lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)) - Double(n) * log(2))
        }
        return min(1, 2 * tail)
    }

    /// Exact two-sided sign-flip p-value of the mean of `differences`: the share of the 2^m sign
    /// patterns whose |sum| reaches the observed |sum| (patterns visited in Gray-code order, one
    /// addition each).
    ///
    /// - Complexity: O(2^m); `m` at most 30.
    public static func exactSignFlip(_ differences: [Double]) -> Double {
        let m = differences.count
        precondition(m <= 30, "exact enumeration is for at most 30 differences")
        guard m > 0 else { return 1 }
        let observed = abs(differences.reduce(0, +))
        let tolerance = 1e-9 * max(1, differences.reduce(0) { $0 + abs($1) })
        var signs = [Double](repeating: 1, count: m)
        var sum = differences.reduce(0, +)
        var count = 1  // the identity pattern
        let patterns = 1 << m
        for i in 1..<patterns {
            let bit = (i & -i).trailingZeroBitCount
            sum -= 2 * signs[bit] * differences[bit]
            signs[bit] = -signs[bit]
            if abs(sum) >= observed - tolerance { count += 1 }
        }
        return Double(count) / Double(patterns)
    }

    /// Sampled two-sided sign-flip p-value `(k + 1) / (R + 1)` over R seeded random sign patterns.
    static func sampledSignFlip(_ differences: [Double], settings: ComparisonStatistics.Settings) -> Double {
        let observed = abs(differences.reduce(0, +))
        let tolerance = 1e-9 * max(1, differences.reduce(0) { $0 + abs($1) })
        var generator = Xoshiro256StarStar(seed: settings.seed, stream: 1)
        var count = 0
        var bits: UInt64 = 0
        var left = 0
        for _ in 0..<settings.permutations {
            var sum = 0.0
            for value in differences {
                if left == 0 { bits = generator.next(); left = 64 }
                sum += bits & 1 == 1 ? value : -value
                bits >>= 1
                left -= 1
            }
            if abs(sum) >= observed - tolerance { count += 1 }
        }
        return Double(count + 1) / Double(settings.permutations + 1)
    }
}
