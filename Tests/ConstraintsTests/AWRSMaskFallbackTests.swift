import Constraints
import Decoding
import DecodingTestSupport
import Foundation
import Testing

/// Once the mask after a state is known (computed after ``AWRSOptions/maskAfterChecks`` checks,
/// or found in the ``TokenConstraint``'s cache), AWRS drops every disallowed token from the
/// draw at once. That changes the cost and the realization, not the law: the accepted token
/// still follows the locally constrained distribution and the weight stays an unbiased
/// estimate of the allowed mass `Z`, for the sampler, the strategy and SMC.
struct AWRSMaskFallbackTests {
    static let model = ExactTestModel(vocabularySize: 8, seed: 7, spread: 4)
    static var table: TokenBytes { TokenBytes(model.tokenBytes) }

    /// A check that learns the whole mask after `knownAfter` checks (-1: before the first).
    struct MaskLearningAcceptor<C: Constraint>: DrawAcceptor {
        let tokenConstraint: TokenConstraint<C>
        let state: C.State
        let knownAfter: Int
        var checks = 0
        var knownMask: TokenMask?

        init(_ tokenConstraint: TokenConstraint<C>, state: C.State, knownAfter: Int) throws {
            self.tokenConstraint = tokenConstraint
            self.state = state
            self.knownAfter = knownAfter
            if knownAfter < 0 { knownMask = try tokenConstraint.allowedTokens(after: state) }
        }

        mutating func accept(_ token: Int) throws(ConstraintError) -> Bool {
            if knownMask == nil && checks >= knownAfter { knownMask = try tokenConstraint.allowedTokens(after: state) }
            checks += 1
            if let knownMask { return knownMask.contains(token) }
            return try tokenConstraint.check(token, after: state).passes
        }
    }

    static let cases: [(AWRSTests.Case, Int)] = AWRSTests.cases.flatMap { c in [(c, -1), (c, 0), (c, 2)] }

    @Test(arguments: cases)
    func maskedDrawsAreProperlyWeighted(_ c: AWRSTests.Case, knownAfter: Int) throws {
        if c.regex {
            try check(c, try RegexConstraint(pattern: AWRSTests.regexText), knownAfter: knownAfter)
        } else {
            try check(c, try GrammarConstraint(gbnf: AWRSTests.grammarText), knownAfter: knownAfter)
        }
    }

    private func check<C: Constraint>(_ c: AWRSTests.Case, _ constraint: C, knownAfter: Int) throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 7, spread: c.spread)
        let exact = ExactConstrained(model: model, constraint: constraint, prompt: [0], length: 5)
        let shared = try TokenConstraint(constraint: constraint, table: exact.table, stopTokens: [model.eos])
        let state = try #require(try constraint.advance(constraint.start, by: c.generated.flatMap { exact.table[$0] }))
        let logits = try Logits(model.logits(after: [0] + c.generated))
        var sampler = try AWRSSampler(options: AWRSOptions(mode: c.mode, maxAccepts: c.maxAccepts))
        var rng = Xoshiro256StarStar(seed: 17)
        let n = 100_000
        var sum = 0.0
        var sumSquares = 0.0
        var counts: [[Int]: Int] = [:]
        for _ in 0..<n {
            var acceptor = try MaskLearningAcceptor(shared, state: state, knownAfter: knownAfter)
            let draw = try sampler.draw(from: logits, using: &rng, acceptor: &acceptor)
            let w = exp(draw.logWeight)
            sum += w
            sumSquares += w * w
            if let token = draw.token { counts[[token], default: 0] += 1 }
        }
        let (z, local) = try exact.nextToken(after: c.generated)
        let mean = sum / Double(n)
        let standardError = max(0, (sumSquares / Double(n) - mean * mean) / Double(n - 1)).squareRoot()
        // A mask known from the start makes the recursive weight exactly Z (up to the row's
        // Float32 probabilities), so the standard error can be 0.
        #expect(abs(mean - z) <= max(3 * standardError, 1e-6 * z), "mean ŵ = \(mean), Z = \(z), SE = \(standardError)")
        AWRSTests.expectTokens(counts, follow: local, draws: n)
    }

    /// The strategy with a mask at every step (computed once per state, then served by the
    /// cache and drawn from the allowed tokens only) is still locally constrained sampling,
    /// sequence by sequence, through the generator.
    @Test func strategyWithMasksFollowsTheLocallyConstrainedDistribution() throws {
        let constraint = try RegexConstraint(pattern: AWRSTests.regexText)
        let exact = try ExactConstrained(model: SMCTests.model, constraint: constraint, prompt: SMCTests.prompt,
                                         length: SMCTests.length).local()
        let shared = try TokenConstraint(constraint: constraint, table: SMCTests.table, stopTokens: [SMCTests.eos])
        var strategy = try AWRSStrategy(tokenConstraint: shared, options: AWRSOptions(maskAfterChecks: 0), seed: 21)
        let draws = 10_000
        var observed: [[Int]: Int] = [:]
        for run in 0..<draws {
            strategy.generator = Xoshiro256StarStar(seed: 21, stream: UInt64(run))
            let result = try Generator(model: SMCTests.model, strategy: strategy, maxTokens: SMCTests.length)
                .run(prompt: SMCTests.prompt)
            observed[result.tokens, default: 0] += 1
        }
        var probe = strategy
        let session = try SMCTests.model.makeSession(prompt: SMCTests.prompt)
        for _ in 0..<10 { _ = try probe.draw(session, vocabularySize: SMCTests.model.vocabularySize) }
        #expect(probe.statistics.cachedMasks > 0, "the start state's mask is cached after the first draws")
        #expect(shared.maskCacheHits > 0)
        for sequence in observed.keys { #expect(exact[sequence] != nil, "drew \(sequence)") }
        ChiSquare.expectMatches(observed: observed, exact: exact, draws: draws)
    }

    /// SMC whose particles draw from masks (every step after the first per state) still
    /// estimates the marginal likelihood without bias.
    @Test func smcWithMasksKeepsAnUnbiasedMarginalLikelihood() throws {
        let constraint = try GrammarConstraint(gbnf: AWRSTests.grammarText)
        let z = try ExactConstrained(model: SMCTests.model, constraint: constraint, prompt: SMCTests.prompt,
                                     length: SMCTests.length).global().z
        let runs = 1_000
        var sum = 0.0
        var sumSquares = 0.0
        var cachedMasks = 0
        for run in 0..<runs {
            let result = try SMCTests.smc(constraint, particles: 10, seed: UInt64(run) + 300,
                                          awrs: AWRSOptions(maskAfterChecks: 0))
            let estimate = exp(result.logMarginalLikelihood)
            sum += estimate
            sumSquares += estimate * estimate
            cachedMasks += result.statistics.awrs.cachedMasks
        }
        let mean = sum / Double(runs)
        let standardError = ((sumSquares / Double(runs) - mean * mean) / Double(runs - 1)).squareRoot()
        #expect(abs(mean - z) <= 3.5 * standardError, "mean Ẑ = \(mean), Z = \(z), SE = \(standardError)")
        #expect(cachedMasks > 0)
    }

    @Test func negativeThresholdIsATypedError() {
        #expect(throws: ConstrainedSamplingError.invalidMaskAfterChecks(-1)) {
            try AWRSOptions(maskAfterChecks: -1).validate()
        }
    }
}
