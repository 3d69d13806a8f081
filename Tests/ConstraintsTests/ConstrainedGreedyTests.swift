import Constraints
import Decoding
import DecodingTestSupport
import Foundation
import Testing

/// Temperature 0 under a constraint: AWRS takes the most likely *allowed* token at each step
/// (the argmax of the locally constrained distribution, found by enumeration here), the same
/// tokens LCD gives at temperature 0; SMC, which samples, refuses a greedy chain with a typed
/// error.
struct ConstrainedGreedyTests {
    static let model = ExactTestModel(vocabularySize: 8, seed: 7, spread: 4)  // a b ␠ . , C3 A9 EOS
    static let prompt = [0]
    static let length = 5
    static var table: TokenBytes { TokenBytes(model.tokenBytes) }

    /// The greedy constrained sequence by enumeration: at each step the allowed token with the
    /// highest model probability (ties to the lower id).
    static func enumeratedGreedy<C: Constraint>(_ constraint: C) throws -> [Int] {
        let exact = ExactConstrained(model: model, constraint: constraint, prompt: prompt, length: length)
        var generated: [Int] = []
        var state = constraint.start
        while generated.count < length && generated.last != model.eos {
            let probabilities = model.probabilities(after: prompt + generated)
            let allowed = try exact.allowed(after: state)
            let best = try #require(allowed.max { a, b in
                probabilities[a.token] < probabilities[b.token]
                    || (probabilities[a.token] == probabilities[b.token] && a.token > b.token)
            })
            generated.append(best.token)
            if let next = best.next { state = next }
        }
        return generated
    }

    static func run<S: DecodingStrategy>(_ strategy: S) throws -> [Int] {
        try Generator(model: model, strategy: strategy, maxTokens: length).run(prompt: prompt).tokens
    }

    @Test(arguments: [false, true], [nil, 0, 64] as [Int?])
    func awrsAtTemperatureZeroTakesTheMostLikelyAllowedToken(regex: Bool, maskAfterChecks: Int?) throws {
        let greedy = try SamplingParameters.greedy.makeChain()
        #expect(greedy.selectsArgmax)
        let options = AWRSOptions(maskAfterChecks: maskAfterChecks)
        func check<C: Constraint>(_ constraint: C) throws {
            let expected = try Self.enumeratedGreedy(constraint)
            // The row's own argmax is not allowed at some step, so plain greedy would dead-end.
            let unconstrained = try Self.run(try SamplingParameters.greedy.makeStrategy())
            #expect(unconstrained != expected)
            for seed in [1, 2, 3] as [UInt64] {
                let awrs = try AWRSStrategy(constraint: constraint, table: Self.table, stopTokens: [Self.model.eos],
                                            chain: greedy, options: options, seed: seed)
                #expect(try Self.run(awrs) == expected)
            }
            let lcd = try LocallyConstrainedStrategy(constraint: constraint, table: Self.table, stopTokens: [Self.model.eos],
                                                 chain: greedy,
                                                 sampler: SamplingParameters.greedy.makeSampler())
            #expect(try Self.run(lcd) == expected)
        }
        if regex {
            try check(try RegexConstraint(pattern: AWRSTests.regexText))
        } else {
            try check(try GrammarConstraint(gbnf: AWRSTests.grammarText))
        }
    }

    @Test func greedyWalkSkipsPrunedTokensAndReportsDeadEnds() throws {
        let logits = try Logits([3, 2, 1, 0, -1])
        var sampler = try AWRSSampler()
        var visited: [Int] = []
        let draw = sampler.greedy(from: logits, pruned: [0]) { token in
            visited.append(token)
            return token == 3
        }
        #expect(draw == AWRSDraw(token: 3, logWeight: 0, checks: 3, rejections: 2))
        #expect(visited == [1, 2, 3])
        let dead = sampler.greedy(from: logits) { _ in false }
        #expect(dead.isDeadEnd && dead.checks == 5)
        // Ties go to the lower id, as Logits.argmax.
        let tied = sampler.greedy(from: try Logits([1, 5, 5, 0])) { _ in true }
        #expect(tied.token == 1)
    }

    @Test func smcRefusesAGreedyChain() throws {
        let regex = try RegexConstraint(pattern: AWRSTests.regexText)
        #expect(throws: ConstrainedSamplingError.greedySMC) {
            try SMCStrategy(constraint: regex, table: Self.table, stopTokens: [Self.model.eos],
                            chain: try SamplingParameters.greedy.makeChain())
        }
        var strategy = try SMCStrategy(constraint: regex, table: Self.table, stopTokens: [Self.model.eos])
        strategy.chain = try SamplingParameters(temperature: 0, seed: 1).makeChain()
        #expect(throws: ConstrainedSamplingError.greedySMC) {
            try strategy.run(model: Self.model, prompt: Self.prompt, maxTokens: 3)
        }
    }

    @Test func argmaxStagesAreFlagged() throws {
        #expect(try TemperatureProcessor(0).selectsArgmax)
        #expect(try !TemperatureProcessor(0.5).selectsArgmax)
        // Top-k 1 is truncation (it acts before a constraint in AWRS), not greedy decoding.
        #expect(try !TopKProcessor(1).selectsArgmax)
        #expect(try !SamplingParameters().makeChain().selectsArgmax)
        #expect(try SamplingParameters(temperature: 0).makeChain().selectsArgmax)
    }
}
