import Constraints
import Decoding
import DecodingTestSupport
import Foundation
import Testing

/// The full-mask fallback of AWRS (``AWRSOptions/maskAfterChecks``) answers checks from a mask
/// computed once, so it changes the cost and nothing else: with the same seed every draw gives
/// the same token and the same weight as checking token by token, for AWRS and for SMC.
struct AWRSMaskFallbackTests {
    static let model = ExactTestModel(vocabularySize: 8, seed: 7, spread: 4)
    static var table: TokenBytes { TokenBytes(model.tokenBytes) }

    @Test(arguments: [AWRSMode.recursive, .geometric, .improper])
    func sameDrawsWithAndWithoutTheMask(mode: AWRSMode) throws {
        let regex = try RegexConstraint(pattern: AWRSTests.regexText)
        func draws(maskAfterChecks: Int?) throws -> ([AWRSDraw], AWRSStatistics) {
            var strategy = try AWRSStrategy(
                constraint: regex, table: Self.table, stopTokens: [Self.model.eos], prefixLength: 1,
                options: AWRSOptions(mode: mode, maskAfterChecks: maskAfterChecks), seed: 5)
            var result: [AWRSDraw] = []
            var statistics = AWRSStatistics()
            for context in [[0], [0, 0], [0, 1], [0, 0, 0, 1]] {
                let session = try Self.model.makeSession(prompt: context)
                for _ in 0..<200 { result.append(try strategy.draw(session, vocabularySize: Self.model.vocabularySize)) }
                statistics += strategy.statistics
                strategy.reset()
            }
            return (result, statistics)
        }
        let (checked, _) = try draws(maskAfterChecks: nil)
        let (masked, statistics) = try draws(maskAfterChecks: 0)
        #expect(checked == masked)
        #expect(statistics.fullMasks > 0)
    }

    @Test func smcIsUnchangedByTheMask() throws {
        let grammar = try GrammarConstraint(gbnf: AWRSTests.grammarText)
        func run(_ maskAfterChecks: Int?) throws -> SMCResult {
            let options = SMCOptions(particles: 20, awrs: AWRSOptions(maskAfterChecks: maskAfterChecks), seed: 3)
            let strategy = try SMCStrategy(constraint: grammar, table: Self.table, stopTokens: [Self.model.eos],
                                           options: options)
            return try strategy.run(model: Self.model, prompt: [0], maxTokens: 5)
        }
        let checked = try run(nil)
        let masked = try run(0)
        #expect(checked.particles == masked.particles)
        #expect(checked.logMarginalLikelihood == masked.logMarginalLikelihood)
        #expect(masked.statistics.awrs.fullMasks > 0)
    }

    @Test func negativeThresholdIsATypedError() {
        #expect(throws: ConstrainedSamplingError.invalidMaskAfterChecks(-1)) {
            try AWRSOptions(maskAfterChecks: -1).validate()
        }
    }
}
