import Constraints
import Decoding
import DecodingTestSupport
import Foundation
import Testing

/// The generator's per-token log-probabilities under LCD: `sampled` is the log of the locally
/// constrained probability `p(t) / Σ_allowed p`, enumerated here token by token from the exact
/// model (no mask, no Logits), and `model` is `log p(t)`; LCD's metrics count its mask-cache hits,
/// AWRS's its constraint checks.
@Suite struct ConstrainedLogprobsTests {
    static let model = ExactTestModel(vocabularySize: 8, seed: 7)  // a b ␠ . , C3 A9 EOS

    @Test(arguments: [0, 1, 2, 3] as [UInt64])
    func lcdLogprobsAreTheLocallyConstrainedDistribution(seed: UInt64) throws {
        let constraint = try RegexConstraint(pattern: "(a|b )+(é|,)?")
        let table = TokenBytes(Self.model.tokenBytes)
        let prompt = [0]
        let strategy = try LocallyConstrainedStrategy(constraint: constraint, table: table, stopTokens: [Self.model.eos],
                                                      sampler: CategoricalSampler(seed: seed))
        var iterator = try Generator(model: Self.model, strategy: strategy, maxTokens: 6, logprobs: try LogprobOptions())
            .makeIterator(prompt: prompt)
        var result: GenerationResult?
        while let event = try iterator.next() { if case .finished(let finished) = event { result = finished } }
        let finished = try #require(result)
        #expect(finished.logprobs.count == finished.tokens.count)
        var state = constraint.start
        var context = prompt
        for (token, logprobs) in zip(finished.tokens, finished.logprobs) {
            let p = Self.model.probabilities(after: context)
            var z = 0.0
            for candidate in 0..<Self.model.vocabularySize {
                let allowed = candidate == Self.model.eos ? constraint.canStop(state)
                                                          : try constraint.advance(state, by: table[candidate]) != nil
                if allowed { z += p[candidate] }
            }
            let sampled = try #require(logprobs.sampled)
            let raw = try #require(logprobs.model)
            #expect(abs(sampled - log(p[token] / z)) < 1e-4, "token \(token) after \(context)")
            #expect(abs(raw - log(p[token])) < 1e-4, "token \(token) after \(context)")
            if token != Self.model.eos { state = try #require(try constraint.advance(state, by: table[token])) }
            context.append(token)
        }
        #expect(iterator.strategy.metrics["mask_cache_hits"]?.count != nil)
    }

    @Test func awrsReportsItsChecksAsMetrics() throws {
        let constraint = try RegexConstraint(pattern: "(a|b )+(é|,)?")
        let table = TokenBytes(Self.model.tokenBytes)
        let strategy = try AWRSStrategy(constraint: constraint, table: table, stopTokens: [Self.model.eos], seed: 3)
        var iterator = try Generator(model: Self.model, strategy: strategy, maxTokens: 6).makeIterator(prompt: [0])
        var tokens = 0
        while let event = try iterator.next() { if case .token = event { tokens += 1 } }
        let metrics = iterator.strategy.metrics
        #expect(metrics.entries.map(\.name) == ["constraint_checks", "rejections", "full_masks"])
        #expect((metrics["constraint_checks"]?.count ?? 0) >= tokens - 1)
        #expect(metrics["constraint_checks"]?.count == iterator.strategy.statistics.checks)
    }
}
