import Constraints
import Decoding
import DecodingTestSupport
import Foundation
import Testing

/// AWRS on the exact test model: the weights are unbiased estimates of the allowed mass `Z`,
/// every mode's tokens follow the locally constrained distribution, dead ends are values, and
/// the lazy draw is sampling without replacement.
struct AWRSTests {
    /// A grammar and a regex over the test model's alphabet (a b ␠ . , C3 A9 EOS) for which
    /// locally constrained decoding is far from the global distribution.
    static let grammarText = #"root ::= ( "ab" | "b" | "a" "." ) [ab]? "." "#
    static let regexText = #"a*b\.|b,+"#

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var regex: Bool
        var generated: [Int]
        var spread: Float
        var mode: AWRSMode
        var maxAccepts = 2
        var testDescription: String { "\(name) after \(generated) spread \(spread) \(mode) k=\(maxAccepts)" }
    }

    static let cases: [Case] = [
        Case(name: "grammar", regex: false, generated: [], spread: 4, mode: .recursive),
        Case(name: "grammar", regex: false, generated: [0], spread: 4, mode: .recursive),
        Case(name: "grammar", regex: false, generated: [0], spread: 4, mode: .geometric),
        Case(name: "grammar", regex: false, generated: [1], spread: 4, mode: .geometric, maxAccepts: 4),
        Case(name: "regex", regex: true, generated: [], spread: 4, mode: .recursive),
        Case(name: "regex", regex: true, generated: [0, 0], spread: 4, mode: .geometric),
        Case(name: "regex", regex: true, generated: [1], spread: 4, mode: .automatic),
        Case(name: "regex", regex: true, generated: [1, 4], spread: 12, mode: .automatic),
        Case(name: "grammar", regex: false, generated: [0, 1], spread: 12, mode: .automatic),
    ]

    /// Draws `count` times from the context of `c` and calls `visit` with each draw.
    static func draws(_ c: Case, count: Int, seed: UInt64,
                      _ visit: (AWRSDraw) -> Void) throws -> (z: Double, local: [Int: Double]) {
        if c.regex {
            return try draws(c, constraint: try RegexConstraint(pattern: regexText), count: count, seed: seed, visit)
        }
        return try draws(c, constraint: try GrammarConstraint(gbnf: grammarText), count: count, seed: seed, visit)
    }

    static func draws<C: Constraint>(_ c: Case, constraint: C, count: Int, seed: UInt64,
                                     _ visit: (AWRSDraw) -> Void) throws -> (z: Double, local: [Int: Double]) {
        let model = ExactTestModel(vocabularySize: 8, seed: 7, spread: c.spread)
        let exact = ExactConstrained(model: model, constraint: constraint, prompt: [0], length: 5)
        let table = exact.table
        let state = try #require(try constraint.advance(constraint.start, by: c.generated.flatMap { table[$0] }))
        let logits = try Logits(model.logits(after: [0] + c.generated))
        var sampler = try AWRSSampler(options: AWRSOptions(mode: c.mode, maxAccepts: c.maxAccepts))
        var rng = Xoshiro256StarStar(seed: seed)
        for _ in 0..<count {
            let draw = try sampler.draw(from: logits, using: &rng) { token in
                if token == model.eos { return constraint.canStop(state) }
                return try constraint.advance(state, by: table[token]) != nil
            }
            visit(draw)
        }
        return try exact.nextToken(after: c.generated)
    }

    /// Pearson's χ² of single-token counts against `exact` at α = 10⁻⁴ (cells with expected
    /// count below 5 pooled; two cells suffice here: one degree of freedom).
    static func expectTokens(_ counts: [[Int]: Int], follow exact: [Int: Double], draws: Int,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        for key in counts.keys { #expect(exact[key[0]] != nil, "drew \(key), not allowed", sourceLocation: sourceLocation) }
        var statistic = 0.0
        var cells = 0
        var pooled = (count: 0, p: 0.0)
        for (token, p) in exact {
            let count = counts[[token]] ?? 0
            if p * Double(draws) < 5 {
                pooled.count += count
                pooled.p += p
                continue
            }
            statistic += pow(Double(count) - p * Double(draws), 2) / (p * Double(draws))
            cells += 1
        }
        if pooled.p * Double(draws) >= 5 {
            statistic += pow(Double(pooled.count) - pooled.p * Double(draws), 2) / (pooled.p * Double(draws))
            cells += 1
        }
        if cells < 2 {
            #expect(pooled.count == 0 || pooled.p * Double(draws) >= 1e-3, sourceLocation: sourceLocation)
            return
        }
        let bound = ChiSquare.critical(degrees: cells - 1)
        #expect(statistic < bound, "χ² = \(statistic) over \(cells) cells, critical \(bound)", sourceLocation: sourceLocation)
    }

    @Test(arguments: cases)
    func weightsAreUnbiased(_ c: Case) throws {
        let n = 100_000
        var sum = 0.0
        var sumSquares = 0.0
        var counts: [[Int]: Int] = [:]
        let (z, local) = try Self.draws(c, count: n, seed: 11) { draw in
            let w = exp(draw.logWeight)
            sum += w
            sumSquares += w * w
            if let token = draw.token { counts[[token], default: 0] += 1 }
        }
        let mean = sum / Double(n)
        let standardError = ((sumSquares / Double(n) - mean * mean) / Double(n - 1)).squareRoot()
        if c.mode != .improper {
            #expect(abs(mean - z) <= 3 * standardError, "mean ŵ = \(mean), Z = \(z), SE = \(standardError)")
            print("AWRS \(c.testDescription): mean ŵ = \(mean), Z = \(z), SE = \(standardError), z-score = \((mean - z) / standardError)")
        }
        // The accepted token follows the locally constrained distribution in every mode.
        Self.expectTokens(counts, follow: local, draws: n)
    }

    @Test(arguments: [Case(name: "grammar", regex: false, generated: [0], spread: 4, mode: .improper),
                      Case(name: "regex", regex: true, generated: [], spread: 4, mode: .improper),
                      Case(name: "regex", regex: true, generated: [1], spread: 12, mode: .improper)])
    func improperModeIsLocallyConstrainedSampling(_ c: Case) throws {
        let n = 100_000
        var counts: [[Int]: Int] = [:]
        var checks = 0
        let (_, local) = try Self.draws(c, count: n, seed: 5) { draw in
            #expect(draw.logWeight == 0)
            if let token = draw.token { counts[[token], default: 0] += 1 }
            checks += draw.checks
            #expect(draw.checks == draw.rejections + 1)
        }
        Self.expectTokens(counts, follow: local, draws: n)
        #expect(checks < 8 * n)
    }

    @Test func recursiveChecksAreRejectionsPlusTwo() throws {
        let c = Case(name: "grammar", regex: false, generated: [0], spread: 4, mode: .recursive)
        _ = try Self.draws(c, count: 2_000, seed: 3) { draw in
            #expect(draw.token != nil)
            #expect(draw.checks == draw.rejections + 2 || draw.checks == draw.rejections + 1)
        }
    }

    @Test(arguments: [AWRSMode.recursive, .geometric, .improper])
    func everyTokenRejectedIsADeadEnd(mode: AWRSMode) throws {
        let logits = try Logits([0.5, -1, 2, 0, -.infinity, 1, 0.25, -3])
        var sampler = try AWRSSampler(options: AWRSOptions(mode: mode))
        var rng = Xoshiro256StarStar(seed: 1)
        for _ in 0..<50 {
            let draw = sampler.draw(from: logits, using: &rng) { _ in false }
            #expect(draw.isDeadEnd)
            #expect(draw.logWeight == -.infinity)
            #expect(draw.rejections == 7)  // every token but the masked one
            #expect(draw.checks == 7)
        }
    }

    @Test func prunedTokensAreNeverChecked() throws {
        let logits = try Logits([3, 3, 0, 0])
        var sampler = try AWRSSampler(options: AWRSOptions(mode: .recursive))
        var rng = Xoshiro256StarStar(seed: 2)
        var sum = 0.0
        let n = 20_000
        for _ in 0..<n {
            let draw = sampler.draw(from: logits, pruned: [0, 1], using: &rng) { token in
                #expect(token >= 2)
                return token == 2
            }
            #expect(draw.token == 2)
            sum += exp(draw.logWeight)
        }
        // Z = p(2) exactly: with 0 and 1 pruned, 3 is the only other token.
        let p2 = logits.probability(of: 2)
        #expect(abs(sum / Double(n) - p2) < 0.02 * p2)
    }

    @Test func options() throws {
        #expect(throws: ConstrainedSamplingError.invalidMaxAccepts(1)) { try AWRSOptions(maxAccepts: 1).validate() }
        #expect(throws: ConstrainedSamplingError.invalidGeometricThreshold(0)) {
            try AWRSOptions(geometricThreshold: 0).validate()
        }
        #expect(throws: ConstrainedSamplingError.self) { try AWRSOptions(geometricThreshold: .nan).validate() }
        #expect(throws: ConstrainedSamplingError.invalidMaxAccepts(0)) { _ = try AWRSSampler(options: AWRSOptions(maxAccepts: 0)) }
        try AWRSOptions(mode: .geometric, maxAccepts: 5, geometricThreshold: 1).validate()
    }

    struct DrawCase: CustomTestStringConvertible, Sendable {
        var vocabulary: Int
        var blockSize: Int
        var testDescription: String { "\(vocabulary) tokens, blocks of \(blockSize)" }
    }

    /// The lazy draw is sampling without replacement, by enumeration: the first three tokens
    /// (each removed once drawn) follow `p(a) · p(b) / (M − p(a)) · p(c) / (M − p(a) − p(b))`
    /// exactly (χ² at α = 10⁻⁴ over every ordered triple, `M` the mass left after a pruned
    /// token), whatever the block size, and drawing to the end visits every unmasked, unpruned
    /// token once.
    @Test(arguments: [DrawCase(vocabulary: 13, blockSize: 4), DrawCase(vocabulary: 11, blockSize: 1),
                      DrawCase(vocabulary: 12, blockSize: 256)])
    func lazyDrawIsSamplingWithoutReplacement(_ c: DrawCase) throws {
        var values = (0..<c.vocabulary).map { Float(($0 * 37) % 11) / 4 }
        values[5] = -.infinity
        let pruned = 7
        let logits = try Logits(values)
        let p = (0..<c.vocabulary).map { logits.probability(of: $0) }
        let candidates = (0..<c.vocabulary).filter { $0 != 5 && $0 != pruned }
        var draw = LazyTokenDraw(blockSize: c.blockSize)
        var rng = Xoshiro256StarStar(seed: 9)
        var triples: [[Int]: Int] = [:]
        let n = 200_000
        for run in 0..<n {
            draw.reset(logits)
            draw.remove(pruned)
            var triple: [Int] = []
            for _ in 0..<3 {
                let next = draw.next(using: &rng)
                let token = try #require(next)
                triple.append(token)
                draw.remove(token)
            }
            triples[triple, default: 0] += 1
            if run < 20 {
                var all = triple
                while let token = draw.next(using: &rng) {
                    all.append(token)
                    draw.remove(token)
                }
                #expect(all.sorted() == candidates)
                #expect(draw.remainingMass == 0)
            }
        }
        let mass = 1 - p[pruned]
        var exact: [[Int]: Double] = [:]
        for a in candidates {
            for b in candidates where b != a {
                for d in candidates where d != a && d != b {
                    exact[[a, b, d]] = p[a] / mass * p[b] / (mass - p[a]) * p[d] / (mass - p[a] - p[b])
                }
            }
        }
        for key in triples.keys { #expect(exact[key] != nil, "drew \(key), impossible") }
        ChiSquare.expectMatches(observed: triples, exact: exact, draws: n)
    }

    /// Tokens whose probability underflows Float32 (logits 150 below the top) are still drawn
    /// once the tokens with mass are removed, in their exact proportions, with their Double
    /// probabilities; and AWRS accepting only such a token returns it with weight `p(token)`
    /// (not a dead end), as exact sampling would.
    @Test func underflowingTokensStayReachable() throws {
        let logits = try Logits([0, 0.5, -150, -151, -.infinity, -150.5])
        #expect(logits.probabilities[2] == 0)
        var draw = LazyTokenDraw(blockSize: 2)
        var rng = Xoshiro256StarStar(seed: 4)
        var counts: [[Int]: Int] = [:]
        let n = 30_000
        for _ in 0..<n {
            draw.reset(logits)
            draw.remove(0)
            draw.remove(1)
            let next = draw.next(using: &rng)
            let token = try #require(next)
            #expect(abs(draw.probability(of: token) - logits.probability(of: token)) <= 1e-6 * logits.probability(of: token))
            counts[[token], default: 0] += 1
            draw.remove(token)
            _ = draw.next(using: &rng)
        }
        let tail = [2, 3, 5].map { logits.probability(of: $0) }
        let sum = tail.reduce(0, +)
        ChiSquare.expectMatches(observed: counts, exact: [[2]: tail[0] / sum, [3]: tail[1] / sum, [5]: tail[2] / sum], draws: n)

        var sampler = try AWRSSampler(options: AWRSOptions(mode: .recursive))
        for _ in 0..<100 {
            let result = sampler.draw(from: logits, using: &rng) { $0 == 3 }
            #expect(result.token == 3)
            #expect(result.logWeight.isFinite)
            // Every other token is rejected, so Ẑ = p(3) exactly.
            #expect(abs(result.logWeight - log(logits.probability(of: 3))) < 1e-5)
        }
    }

    @Test("remove(contentsOf:) leaves the draw as removing one token at a time does: same mass, same draws",
          arguments: [[Int](), [3, 4, 5, 9, 700, 701, 1023], [1023, 3, 700, 3, 5, 2_000, -1]])
    func bulkRemovalMatchesOneByOne(tokens: [Int]) throws {
        var generator = Xoshiro256StarStar(seed: 11)
        let logits = try Logits((0..<1024).map { _ in Float(generator.nextUnitInterval() * 8 - 4) })
        var bulk = LazyTokenDraw(blockSize: 16), single = LazyTokenDraw(blockSize: 16)
        bulk.reset(logits)
        single.reset(logits)
        bulk.remove(contentsOf: tokens)
        for token in tokens { single.remove(token) }
        #expect(bulk.remainingMass == single.remainingMass)
        for token in 0..<1024 { #expect(bulk.isRemoved(token) == single.isRemoved(token)) }
        var rngA = Xoshiro256StarStar(seed: 5), rngB = Xoshiro256StarStar(seed: 5)
        for _ in 0..<64 {
            let a = bulk.next(using: &rngA), b = single.next(using: &rngB)
            #expect(a == b)
            if let a { bulk.remove(a); single.remove(a) }
        }
    }
}
