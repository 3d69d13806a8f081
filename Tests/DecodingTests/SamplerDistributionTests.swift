import Foundation
import Testing
import Decoding

/// Statistical checks of ``CategoricalSampler`` against the exact processed distribution.
///
/// Bounds: Pearson's χ² with `k - 1` degrees of freedom at α = 10⁻⁴ (critical value from the
/// Wilson–Hilferty approximation, the normal quantile found by bisection on `erfc`), and the
/// total variation distance below `3·√(V/N)` (its expectation is at most `½·√(V/N)`).
enum Statistics {
    /// Φ⁻¹(1 − α) by bisection on the upper tail `erfc(z/√2)/2`.
    static func normalQuantile(upperTail alpha: Double) -> Double {
        var low = 0.0, high = 40.0
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if erfc(mid / 2.0.squareRoot()) / 2 > alpha { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    /// The χ² critical value for `degrees` degrees of freedom at level `alpha` (Wilson–Hilferty).
    static func chiSquareCritical(degrees: Int, alpha: Double) -> Double {
        let k = Double(degrees)
        let z = normalQuantile(upperTail: alpha)
        let term = 1 - 2 / (9 * k) + z * (2 / (9 * k)).squareRoot()
        return k * term * term * term
    }

    /// Checks `counts` (of `draws` samples) against `expected` probabilities.
    static func expectMatches(counts: [Int], expected: [Double], draws: Int,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        var chiSquare = 0.0
        var categories = 0
        var totalVariation = 0.0
        for (count, p) in zip(counts, expected) {
            totalVariation += abs(Double(count) / Double(draws) - p) / 2
            if p == 0 {
                #expect(count == 0, "a token with probability 0 was drawn", sourceLocation: sourceLocation)
                continue
            }
            categories += 1
            let e = p * Double(draws)
            chiSquare += (Double(count) - e) * (Double(count) - e) / e
        }
        if categories > 1 {
            let critical = chiSquareCritical(degrees: categories - 1, alpha: 1e-4)
            #expect(chiSquare < critical, "χ² = \(chiSquare), critical \(critical)", sourceLocation: sourceLocation)
        }
        let bound = 3 * (Double(categories) / Double(draws)).squareRoot()
        #expect(totalVariation < bound, "TV = \(totalVariation), bound \(bound)", sourceLocation: sourceLocation)
    }
}

@Suite struct SamplerDistributionTests {
    @Test func criticalValuesAreClose() {
        // Tabulated χ² quantiles at α = 1e-4: 10 d.o.f. → 35.56, 3 d.o.f. → 21.11. Wilson–Hilferty
        // is within a few percent this far in the tail (slightly low, so the test is stricter).
        #expect(abs(Statistics.chiSquareCritical(degrees: 10, alpha: 1e-4) / 35.56 - 1) < 0.04)
        #expect(abs(Statistics.chiSquareCritical(degrees: 3, alpha: 1e-4) / 21.11 - 1) < 0.04)
        #expect(abs(Statistics.normalQuantile(upperTail: 1e-4) - 3.7190) < 1e-3)
    }

    static let configurations: [SamplingParameters] = [
        SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0),
        SamplingParameters(),
        SamplingParameters(temperature: 0.7, topK: 5, topP: 0.9, minP: 0),
        SamplingParameters(temperature: 1.3, topK: 0, topP: 1, minP: 0.1, typicalP: 0.8),
        SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0, repeatPenalty: 1.5, presencePenalty: 0.5,
                           allowedTokens: [0, 2, 3, 5, 7, 9]),
        SamplingParameters.greedy,
    ]

    @Test(arguments: configurations.indices)
    func categoricalSamplerMatchesTheProcessedDistribution(configuration: Int) throws {
        var generator = Xoshiro256StarStar(seed: 99)
        let row = try Logits((0..<10).map { _ in Float(generator.nextUnitInterval() * 4 - 2) })
        let history = [3, 3, 5]
        var parameters = Self.configurations[configuration]
        parameters.seed = UInt64(configuration) + 1
        var chain = try parameters.makeChain()
        let processed = try chain.processed(row, history: history)
        let expected = (0..<10).map { processed.probability(of: $0) }
        var sampler = parameters.makeSampler()
        let draws = 100_000
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<draws { counts[sampler.sample(processed)] += 1 }
        Statistics.expectMatches(counts: counts, expected: expected, draws: draws)
    }

    @Test func seedsDecideTheTokens() throws {
        let row = try Logits([Float](repeating: 0, count: 32))
        func draw(_ seed: UInt64) -> [Int] {
            var sampler = CategoricalSampler(seed: seed)
            return (0..<64).map { _ in sampler.sample(row) }
        }
        #expect(draw(1) == draw(1))
        #expect(draw(1) != draw(2))
        #expect(GreedySampler().sample(try Logits([0, 3, 3, 1])) == 1)
    }
}
