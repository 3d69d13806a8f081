import Constraints
import Decoding
import DecodingTestSupport
import Foundation
import Testing

/// SMC with AWRS proposals on the exact test model: its weighted output converges to the
/// global `p(y | c(y))` (enumerated), which locally constrained decoding misses by a wide
/// margin; the marginal-likelihood estimate is unbiased; bad input gets typed errors.
struct SMCTests {
    static let model = ExactTestModel(vocabularySize: 8, seed: 7)
    static let prompt = [0]
    static let length = 5
    static var table: TokenBytes { TokenBytes(model.tokenBytes) }
    static var eos: Int { model.eos }

    static func smc<C: Constraint>(_ constraint: C, particles: Int, seed: UInt64, threshold: Double = 0.5,
                                   resampling: ResamplingScheme = .multinomial, awrs: AWRSOptions = AWRSOptions(),
                                   potential: (any SequencePotential)? = nil,
                                   chain: LogitProcessorChain = LogitProcessorChain()) throws -> SMCResult {
        let options = SMCOptions(particles: particles, essThreshold: threshold, resampling: resampling, awrs: awrs, seed: seed)
        let strategy = try SMCStrategy(constraint: constraint, table: table, stopTokens: [eos], chain: chain,
                                       options: options, potential: potential)
        return try strategy.run(model: model, prompt: prompt, maxTokens: length)
    }

    static func posterior(_ result: SMCResult) -> [[Int]: Double] {
        Dictionary(uniqueKeysWithValues: result.posterior.map { ($0.tokens, $0.probability) })
    }

    /// Mean TV between single-run SMC posteriors and `exact` over `runs` seeds.
    static func meanTV<C: Constraint>(_ constraint: C, particles: Int, runs: Int, exact: [[Int]: Double],
                                      resampling: ResamplingScheme = .multinomial,
                                      potential: (any SequencePotential)? = nil) throws -> Double {
        var total = 0.0
        for run in 0..<runs {
            let result = try smc(constraint, particles: particles, seed: UInt64(run) &* 7919 &+ 1,
                                 resampling: resampling, potential: potential)
            #expect(!result.allParticlesDied)
            for output in result.posterior { #expect(exact[output.tokens] != nil, "\(output.tokens) is not a valid outcome") }
            total += totalVariation(posterior(result), exact)
        }
        return total / Double(runs)
    }

    @Test(arguments: [false, true])
    func converges_to_the_global_distribution_where_LCD_does_not(regex: Bool) throws {
        if regex {
            try convergence(try RegexConstraint(pattern: AWRSTests.regexText), name: "regex")
        } else {
            try convergence(try GrammarConstraint(gbnf: AWRSTests.grammarText), name: "grammar")
        }
    }

    private func convergence<C: Constraint>(_ constraint: C, name: String) throws {
        let exact = ExactConstrained(model: Self.model, constraint: constraint, prompt: Self.prompt, length: Self.length)
        let global = try exact.global().distribution
        let lcdTV = totalVariation(try exact.local(), global)
        let tv10 = try Self.meanTV(constraint, particles: 10, runs: 40, exact: global)
        let tv100 = try Self.meanTV(constraint, particles: 100, runs: 10, exact: global)
        let tv1000 = try Self.meanTV(constraint, particles: 1000, runs: 4, exact: global, resampling: .systematic)
        print("SMC \(name): TV vs p(y|c(y)) N=10 \(tv10), N=100 \(tv100), N=1000 \(tv1000); LCD \(lcdTV)")
        #expect(tv100 < tv10)
        #expect(tv1000 < tv100)
        #expect(tv1000 < 0.05, "SMC with 1000 particles: TV \(tv1000)")
        #expect(lcdTV > 0.12, "LCD is visibly biased here: TV \(lcdTV)")
        #expect(lcdTV - tv1000 > 0.08)
    }

    @Test func marginalLikelihoodIsUnbiased() throws {
        let constraint = try GrammarConstraint(gbnf: AWRSTests.grammarText)
        let z = try ExactConstrained(model: Self.model, constraint: constraint, prompt: Self.prompt, length: Self.length).global().z
        let runs = 2_000
        var sum = 0.0
        var sumSquares = 0.0
        for run in 0..<runs {
            let result = try Self.smc(constraint, particles: 10, seed: UInt64(run) + 100)
            let estimate = exp(result.logMarginalLikelihood)
            sum += estimate
            sumSquares += estimate * estimate
        }
        let mean = sum / Double(runs)
        let standardError = ((sumSquares / Double(runs) - mean * mean) / Double(runs - 1)).squareRoot()
        print("SMC log Ẑ: mean Ẑ = \(mean), Z = \(z), SE = \(standardError)")
        #expect(abs(mean - z) <= 3 * standardError)
    }

    /// A critic that divides the weight by 12 for each "b" (token 1), scoring prefixes or not.
    struct FewerB: SequencePotential {
        var partial: Bool
        func logScore(complete tokens: [Int]) throws -> Double { -log(12) * Double(tokens.filter { $0 == 1 }.count) }
        func logScore(prefix tokens: [Int]) throws -> Double? { partial ? try logScore(complete: tokens) : nil }
    }

    @Test(arguments: [false, true])
    func potentialTwistsTheTarget(partial: Bool) throws {
        let constraint = try GrammarConstraint(gbnf: AWRSTests.grammarText)
        let exact = ExactConstrained(model: Self.model, constraint: constraint, prompt: Self.prompt, length: Self.length)
        let twisted = try exact.global { y in -log(12) * Double(y.filter { $0 == 1 }.count) }.distribution
        let untwisted = try exact.global().distribution
        let tv = try Self.meanTV(constraint, particles: 1000, runs: 3, exact: twisted, potential: FewerB(partial: partial))
        #expect(tv < 0.05, "TV \(tv)")
        #expect(totalVariation(twisted, untwisted) > 0.1)
    }

    @Test(arguments: ResamplingScheme.allCases)
    func resamplingIsUnbiased(scheme: ResamplingScheme) {
        let weights = [0.5, 0, 0.3, 0.15, 0.05, 0]
        var rng = Xoshiro256StarStar(seed: 4)
        var counts = [Double](repeating: 0, count: weights.count)
        let runs = 20_000
        for _ in 0..<runs {
            let indices = scheme.resample(weights: weights, count: 7, using: &rng)
            #expect(indices.count == 7)
            var copies = [Int](repeating: 0, count: weights.count)
            for index in indices { copies[index] += 1 }
            for i in weights.indices {
                counts[i] += Double(copies[i])
                if weights[i] == 0 { #expect(copies[i] == 0) }
                if scheme == .systematic {
                    let expected = 7 * weights[i]
                    #expect(Double(copies[i]) >= expected.rounded(.down) - 1e-9 && Double(copies[i]) <= expected.rounded(.up) + 1e-9)
                }
            }
        }
        for i in weights.indices {
            #expect(abs(counts[i] / Double(runs) - 7 * weights[i]) < 0.03, "\(scheme) particle \(i)")
        }
    }

    @Test func badOptionsAreTypedErrors() throws {
        let constraint = try RegexConstraint(pattern: AWRSTests.regexText)
        for particles in [0, -3] {
            #expect(throws: ConstrainedSamplingError.invalidParticleCount(particles)) {
                _ = try SMCStrategy(constraint: constraint, table: Self.table, stopTokens: [Self.eos],
                                    options: SMCOptions(particles: particles))
            }
        }
        for threshold in [-0.1, 1.5] {
            #expect(throws: ConstrainedSamplingError.invalidESSThreshold(threshold)) {
                _ = try SMCStrategy(constraint: constraint, table: Self.table, stopTokens: [Self.eos],
                                    options: SMCOptions(essThreshold: threshold))
            }
        }
        #expect(throws: ConstrainedSamplingError.self) { try SMCOptions(essThreshold: .nan).validate() }
        #expect(throws: ConstrainedSamplingError.invalidMaxAccepts(1)) {
            try SMCOptions(awrs: AWRSOptions(maxAccepts: 1)).validate()
        }
        #expect(throws: ConstrainedSamplingError.stopTokenOutOfRange(99, vocabularySize: 8)) {
            _ = try SMCStrategy(constraint: constraint, table: Self.table, stopTokens: [99])
        }
        let strategy = try SMCStrategy(constraint: constraint, table: Self.table, stopTokens: [Self.eos])
        #expect(throws: ConstrainedSamplingError.invalidMaxTokens(0)) {
            _ = try strategy.run(model: Self.model, prompt: Self.prompt, maxTokens: 0)
        }
        #expect(throws: ConstrainedSamplingError.unknownResamplingScheme("residual", valid: ["multinomial", "stratified", "systematic"])) {
            _ = try ResamplingScheme.named("residual")
        }
        #expect(try ResamplingScheme.named("Systematic") == .systematic)
        try SMCOptions(particles: 1, essThreshold: 0).validate()
        try SMCOptions(essThreshold: 1).validate()
    }

    @Test func unsatisfiableConstraintFailsBeforeGeneration() throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 7)
        let strategy = try SMCStrategy(constraint: try GrammarConstraint(gbnf: #"root ::= "x""#), table: Self.table,
                                       stopTokens: [Self.eos])
        let session = try model.makeSession(prompt: Self.prompt)
        #expect(throws: ConstrainedSamplingError.unsatisfiableConstraint) {
            _ = try strategy.run(model: model, session: session, maxTokens: 4)
        }
        #expect(model.modelCalls == 1)  // the prompt only
    }

    /// A single AWRS sequence under a constraint no token satisfies from the start: the first
    /// draw is a dead end (a value), and a generator stops with the typed error before any
    /// token is generated or evaluated beyond the prompt.
    @Test func awrsStrategyUnsatisfiableFromTheStart() throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 7)  // its own counters
        var strategy = try AWRSStrategy(constraint: try GrammarConstraint(gbnf: #"root ::= "x""#), table: Self.table,
                                        stopTokens: [Self.eos], seed: 4)
        let draw = try strategy.draw(try model.makeSession(prompt: Self.prompt), vocabularySize: model.vocabularySize)
        #expect(draw.isDeadEnd)
        #expect(draw.logWeight == -.infinity)
        #expect(draw.checks == draw.rejections)
        #expect(throws: ConstraintError.deadEnd(position: 0)) {
            _ = try Generator(model: model, strategy: strategy, maxTokens: 4).run(prompt: Self.prompt)
        }
        #expect(model.modelCalls == 2)  // the two prompts only
    }

    @Test func allParticlesDyingIsReported() throws {
        // After "a" the grammar needs "x", which no token spells: every particle dies at step 2.
        let constraint = try GrammarConstraint(gbnf: #"root ::= "a" "x""#)
        let result = try Self.smc(constraint, particles: 5, seed: 1)
        #expect(result.allParticlesDied)
        #expect(result.posterior.isEmpty)
        #expect(result.longestGenerated == [0])
        #expect(result.logMarginalLikelihood == -.infinity)
        #expect(result.particles.allSatisfy { $0.status == .dead && $0.weight == 0 })
        let strategy = try SMCStrategy(constraint: constraint, table: Self.table, stopTokens: [Self.eos],
                                       options: SMCOptions(particles: 5))
        let generator = try Generator(model: Self.model, strategy: strategy, maxTokens: 4)
        #expect(throws: ConstrainedSamplingError.allParticlesDied(generated: [0])) { _ = try generator.run(prompt: [1]) }
    }

    /// Truncating processors act before the constraint in AWRS and SMC: with top-k = 1 and a
    /// constraint that forbids the most likely token, every draw is a dead end, while LCD
    /// (mask first, then truncate) keeps the most likely allowed token.
    @Test func truncationActsBeforeTheConstraint() throws {
        let top = try Logits(Self.model.logits(after: Self.prompt)).argmax
        let constraint = try RegexConstraint(pattern: top == 0 ? "b+" : "a+")
        let chain = LogitProcessorChain([try TopKProcessor(1)])
        var awrs = try AWRSStrategy(constraint: constraint, table: Self.table, stopTokens: [Self.eos],
                                    chain: chain, seed: 1)
        let session = try Self.model.makeSession(prompt: Self.prompt)
        let draw = try awrs.draw(session, vocabularySize: Self.model.vocabularySize)
        #expect(draw.isDeadEnd)
        #expect(draw.rejections == 1)
        let result = try Self.smc(constraint, particles: 8, seed: 2, chain: chain)
        #expect(result.allParticlesDied)
        let lcd = try LocallyConstrainedStrategy(constraint: constraint, table: Self.table, stopTokens: [Self.eos],
                                             chain: chain, sampler: GreedySampler())
        let tokens = try Generator(model: Self.model, strategy: lcd, maxTokens: 3).run(prompt: Self.prompt).tokens
        #expect(!tokens.isEmpty && tokens.allSatisfy { $0 == (top == 0 ? 1 : 0) || $0 == Self.eos })
    }

    @Test func particlesAreEvaluatedInOneBatchPerStep() throws {
        let constraint = try RegexConstraint(pattern: AWRSTests.regexText)
        let model = ExactTestModel(vocabularySize: 8, seed: 7)  // its own counters (tests run in parallel)
        let strategy = try SMCStrategy(constraint: constraint, table: Self.table, stopTokens: [Self.eos],
                                       options: SMCOptions(particles: 50, seed: 3))
        let result = try strategy.run(model: model, prompt: Self.prompt, maxTokens: Self.length)
        let calls = model.modelCalls
        #expect(calls == result.statistics.modelCalls + 1)  // + the prompt
        #expect(result.statistics.modelCalls <= result.statistics.steps)
        #expect(result.statistics.steps <= Self.length)
        #expect(result.statistics.awrs.draws >= 50)
        #expect(result.statistics.awrs.checks >= result.statistics.awrs.draws)
    }

    @Test func streamingViewEmitsTheBestParticle() throws {
        let constraint = try GrammarConstraint(gbnf: AWRSTests.grammarText)
        let strategy = try SMCStrategy(constraint: constraint, table: Self.table, stopTokens: [Self.eos],
                                       options: SMCOptions(particles: 20, seed: 9))
        var run = try strategy.start(model: Self.model, session: try Self.model.makeSession(prompt: Self.prompt),
                                     maxTokens: Self.length)
        var snapshots: [SMCSnapshot] = []
        while let snapshot = try run.next() { snapshots.append(snapshot) }
        let result = run.result()
        #expect(snapshots.count == result.statistics.steps)
        #expect(snapshots.map(\.step) == Array(1...snapshots.count))
        let last = try #require(snapshots.last)
        #expect(result.posterior.contains { $0.tokens == last.bestTokens })
        #expect(last.running == 0)
        #expect(try run.next() == nil)
        // Same seed, same outcome.
        #expect(try strategy.run(model: Self.model, prompt: Self.prompt, maxTokens: Self.length) == result)
    }

    @Test func generatorRunsSMCAsOneStep() throws {
        let constraint = try GrammarConstraint(gbnf: AWRSTests.grammarText)
        var strategy = try SMCStrategy(constraint: constraint, table: Self.table, stopTokens: [Self.eos],
                                       options: SMCOptions(particles: 30, seed: 5))
        let generator = try Generator(model: Self.model, strategy: strategy, maxTokens: Self.length)
        let result = try generator.run(prompt: Self.prompt)
        #expect(result.statistics.steps == 1)
        #expect(result.statistics.branchesTried == 30)
        if result.tokens.last == Self.eos {
            #expect(try constraint.accepts(result.tokens.dropLast().flatMap { Self.table[$0] }))
        }
        var session = try Self.model.makeSession(prompt: Self.prompt)
        let step = try strategy.step(&session, context: StepContext(model: Self.model, remainingTokens: Self.length))
        let last = try #require(strategy.lastResult)
        #expect(last.posterior.contains { $0.tokens == step.tokens })
        #expect(session.tokens.count == Self.prompt.count + step.tokens.count - 1)
    }

    /// One particle, no resampling: AWRS alone is locally constrained sampling, sequence by
    /// sequence, through the generator.
    @Test func awrsStrategyFollowsTheLocallyConstrainedDistribution() throws {
        let constraint = try RegexConstraint(pattern: AWRSTests.regexText)
        let exact = try ExactConstrained(model: Self.model, constraint: constraint, prompt: Self.prompt, length: Self.length).local()
        let draws = 10_000
        var observed: [[Int]: Int] = [:]
        var strategy = try AWRSStrategy(constraint: constraint, table: Self.table, stopTokens: [Self.eos],
                                        seed: 21)
        for run in 0..<draws {
            strategy.generator = Xoshiro256StarStar(seed: 21, stream: UInt64(run))
            let result = try Generator(model: Self.model, strategy: strategy, maxTokens: Self.length).run(prompt: Self.prompt)
            observed[result.tokens, default: 0] += 1
        }
        for sequence in observed.keys { #expect(exact[sequence] != nil, "drew \(sequence)") }
        ChiSquare.expectMatches(observed: observed, exact: exact, draws: draws)
    }
}
