import Decoding
import Foundation
import Speculative

/// A deterministic "model" given as a function: context → next-token distribution over a tiny
/// vocabulary, from hashed logits.
struct Oracle: Sendable {
    let vocabularySize: Int
    let salt: UInt64
    let sharpness: Double

    func logits(_ context: [Int]) -> [Double] {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ salt
        for t in context.suffix(3) { h = (h ^ UInt64(t + 1)) &* 0x100_0000_01B3 }
        var rng = SplitMix64(seed: h)
        return (0..<vocabularySize).map { _ in sharpness * Double(rng.next() >> 11) / Double(1 << 53) }
    }

    func probabilities(_ context: [Int]) -> [Double] {
        let l = logits(context)
        let m = l.max()!
        let e = l.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
}

/// A drafter whose `q` is any function of the context.
final class FunctionDrafter: Drafter {
    let q: ([Int]) -> [Double]
    var context: [Int] = []
    var vocabularySize: Int? { nil }
    var costPerDraftToken: Double { 0 }
    private(set) var calls = 0
    init(_ q: @escaping ([Int]) -> [Double]) { self.q = q }
    func synchronize(context: [Int]) throws { self.context = context }
    func draftDistributions(after paths: [[Int]]) throws -> [DraftDistribution] {
        calls += 1
        return try paths.map { try DraftDistribution(dense: q(context + $0)) }
    }
}

/// A drafter passing another's distributions on with a confidence that depends on the last token
/// of the context and path (from 0.05 to 1), as a self-grading drafter's would: it changes which
/// trees an adaptive budget drafts, never `q`.
final class TemperedDrafter: Drafter {
    let base: any Drafter
    private var context: [Int] = []
    static let confidences = [0.05, 1, 0.3, 0.8, 0.15]
    init(_ base: any Drafter) { self.base = base }
    var vocabularySize: Int? { base.vocabularySize }
    var costPerDraftToken: Double { base.costPerDraftToken }
    func synchronize(context: [Int]) throws {
        self.context = context
        try base.synchronize(context: context)
    }
    func draftDistributions(after paths: [[Int]]) throws -> [DraftDistribution] {
        try zip(paths, base.draftDistributions(after: paths)).map { path, q in
            let last = (context + path).last ?? 0
            return try q.withConfidence(Self.confidences[last % Self.confidences.count])
        }
    }
}

/// Exact distribution of the first `length` tokens of plain sampling, by enumeration.
func exactSequences(length: Int, vocabularySize: Int, prompt: [Int], p: ([Int]) -> [Double]) -> [[Int]: Double] {
    var result: [[Int]: Double] = [[]: 1]
    for _ in 0..<length {
        var next: [[Int]: Double] = [:]
        for (sequence, probability) in result {
            let row = p(prompt + sequence)
            for t in 0..<vocabularySize where row[t] > 0 { next[sequence + [t]] = probability * row[t] }
        }
        result = next
    }
    return result
}

/// Total variation distance and a pooled Pearson χ² (cells with expected count < 5 pooled into
/// one) between an empirical histogram of `n` samples and exact probabilities.
struct Comparison: CustomStringConvertible {
    let totalVariation: Double
    let chiSquare: Double
    let degreesOfFreedom: Int
    /// The TV distance sampling noise alone gives on average, `½ Σ √(2 p (1 − p) / (π n))`.
    let expectedTotalVariation: Double

    init(histogram: [[Int]: Int], exact: [[Int]: Double], samples n: Int) {
        var tv = 0.0
        for key in Set(histogram.keys).union(exact.keys) {
            tv += abs(Double(histogram[key, default: 0]) / Double(n) - exact[key, default: 0])
        }
        totalVariation = tv / 2
        expectedTotalVariation = exact.values.reduce(0) { $0 + (2 * $1 * (1 - $1) / (Double.pi * Double(n))).squareRoot() } / 2
        var chi = 0.0
        var cells = 0
        var pooledObserved = 0.0
        var pooledExpected = 0.0
        for (key, probability) in exact {
            let expected = probability * Double(n)
            let observed = Double(histogram[key, default: 0])
            if expected < 5 {
                pooledObserved += observed
                pooledExpected += expected
            } else {
                chi += (observed - expected) * (observed - expected) / expected
                cells += 1
            }
        }
        // Samples outside the exact support count against the pool.
        let outside = histogram.filter { exact[$0.key] == nil }.values.reduce(0, +)
        pooledObserved += Double(outside)
        if pooledExpected > 0 {
            chi += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected
            cells += 1
        } else if pooledObserved > 0 {
            chi = .infinity
        }
        chiSquare = chi
        degreesOfFreedom = max(1, cells - 1)
    }

    /// A conservative χ² bound: mean + 6 standard deviations (p ≈ 1e-6 for these dfs).
    var chiSquareBound: Double { Double(degreesOfFreedom) + 6 * (2 * Double(degreesOfFreedom)).squareRoot() }

    /// TV bound: 1.5 × the noise level (TV's spread around its mean is a few percent of it here).
    var totalVariationBound: Double { 1.5 * expectedTotalVariation }

    var description: String {
        "TV \(String(format: "%.4f", totalVariation)) (noise \(String(format: "%.4f", expectedTotalVariation))), χ² \(String(format: "%.1f", chiSquare)) (df \(degreesOfFreedom), bound \(String(format: "%.1f", chiSquareBound)))"
    }
}
