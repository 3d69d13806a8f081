import Constraints
import Decoding
import DecodingTestSupport
import Foundation
import Testing

/// Locally constrained decoding on the exact test model: the mask gives exactly the locally
/// constrained distribution, and sampling with the strategy follows it (χ² at α = 10⁻⁴).
struct LocallyConstrainedTests {
    static let model = ExactTestModel(vocabularySize: 8, seed: 7)  // a b ␠ . , C3 A9 EOS
    static let prompt = [0]
    static let length = 5

    /// `q(t | prefix) ∝ p(t | prefix) · 1[t allowed]`, enumerated with a token-by-token check
    /// (no trie), in Double.
    static func exactLCD<C: Constraint>(_ constraint: C) throws -> [[Int]: Double] {
        let table = TokenBytes(model.tokenBytes)
        var result: [[Int]: Double] = [:]
        func extend(_ continuation: [Int], _ state: C.State, _ probability: Double) throws {
            if continuation.count == length || continuation.last == model.eos {
                result[continuation] = probability
                return
            }
            let p = model.probabilities(after: prompt + continuation)
            var allowed: [(Int, C.State?)] = []
            for token in 0..<model.vocabularySize {
                if token == model.eos {
                    if constraint.canStop(state) { allowed.append((token, nil)) }
                } else if let next = try constraint.advance(state, by: table[token]) {
                    allowed.append((token, next))
                }
            }
            let z = allowed.reduce(0.0) { $0 + p[$1.0] }
            for (token, next) in allowed {
                try extend(continuation + [token], next ?? state, probability * p[token] / z)
            }
        }
        try extend([], constraint.start, 1)
        return result
    }

    static func constraints() throws -> [(String, any Constraint)] {
        [("grammar", try GrammarConstraint(gbnf: #"root ::= [ab]+ ( " " [ab]+ )* ( "é" | "." )"#)),
         ("regex", try RegexConstraint(pattern: "(a|b )+(é|,)?"))]
    }

    @Test(arguments: [0, 1])
    func maskChainEqualsExactLocallyConstrainedDistribution(index: Int) throws {
        let (name, constraint) = try Self.constraints()[index]
        try check(constraint, name: name)
    }

    private func check<C: Constraint>(_ constraint: C, name: String) throws {
        let table = TokenBytes(Self.model.tokenBytes)
        let mask = try ConstraintMask(constraint: constraint, table: table, stopTokens: [Self.model.eos])
        let viaChain = try Self.model.continuationDistribution(after: Self.prompt, length: Self.length,
                                                               chain: LogitProcessorChain([mask]))
        let exact = try Self.exactLCD(constraint)
        #expect(Set(viaChain.keys) == Set(exact.keys), "\(name)")
        for (sequence, p) in exact {
            #expect(abs((viaChain[sequence] ?? -1) - p) < 1e-5, "\(name) \(sequence)")
        }
        // Every sequence is in the language (complete ones end where the constraint may stop).
        for sequence in exact.keys where sequence.last == Self.model.eos {
            #expect(try constraint.accepts(sequence.dropLast().flatMap { table[$0] }), "\(name) \(sequence)")
        }
        // "é" spelled by its two halves (tokens 5 = C3, 6 = A9) is reachable.
        #expect(exact.keys.contains { s in zip(s, s.dropFirst()).contains { $0 == 5 && $1 == 6 } }, "\(name)")
    }

    @Test(arguments: [0, 1])
    func samplingFollowsTheLocallyConstrainedDistribution(index: Int) throws {
        let (_, constraint) = try Self.constraints()[index]
        try sample(constraint)
    }

    private func sample<C: Constraint>(_ constraint: C) throws {
        let table = TokenBytes(Self.model.tokenBytes)
        let exact = try Self.exactLCD(constraint)
        let trie = TokenTrie(table)
        let draws = 20_000
        var observed: [[Int]: Int] = [:]
        for run in 0..<draws {
            let strategy = try LocallyConstrainedStrategy(
                constraint: constraint, table: table, trie: trie, stopTokens: [Self.model.eos],
                sampler: CategoricalSampler(generator: Xoshiro256StarStar(seed: 99, stream: UInt64(run))))
            let result = try Generator(model: Self.model, strategy: strategy, maxTokens: Self.length).run(prompt: Self.prompt)
            observed[result.tokens, default: 0] += 1
        }
        for sequence in observed.keys { #expect(exact[sequence] != nil, "drew \(sequence), probability 0") }
        ChiSquare.expectMatches(observed: observed, exact: exact, draws: draws)
    }

    @Test func strategyReportsADeadEnd() throws {
        // After "a", the grammar needs "x", which no token of the test model spells.
        let constraint = try GrammarConstraint(gbnf: #"root ::= "a" "x""#)
        let strategy = try LocallyConstrainedStrategy(
            constraint: constraint, table: TokenBytes(Self.model.tokenBytes), stopTokens: [Self.model.eos],
            sampler: GreedySampler())
        let generator = try Generator(model: Self.model, strategy: strategy, maxTokens: 4)
        #expect(throws: ConstraintError.deadEnd(position: 1)) { _ = try generator.run(prompt: [1]) }
    }
}

/// Pearson's χ² goodness of fit with small cells pooled, against the critical value at
/// α = 10⁻⁴ (Wilson–Hilferty approximation of the χ² quantile).
enum ChiSquare {
    static func critical(degrees: Int) -> Double {
        let z = 3.719  // standard normal quantile at 1 − 10⁻⁴
        let k = Double(degrees)
        let term = 1 - 2 / (9 * k) + z * (2 / (9 * k)).squareRoot()
        return k * term * term * term
    }

    static func expectMatches(observed: [[Int]: Int], exact: [[Int]: Double], draws: Int,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        var statistic = 0.0
        var cells = 0
        var pooledCount = 0
        var pooledP = 0.0
        for (sequence, p) in exact {
            let count = observed[sequence] ?? 0
            if p * Double(draws) < 5 {
                pooledCount += count
                pooledP += p
                continue
            }
            let e = p * Double(draws)
            statistic += (Double(count) - e) * (Double(count) - e) / e
            cells += 1
        }
        if pooledP * Double(draws) >= 5 {
            let e = pooledP * Double(draws)
            statistic += (Double(pooledCount) - e) * (Double(pooledCount) - e) / e
            cells += 1
        }
        #expect(cells >= 3, "too few cells for a meaningful test", sourceLocation: sourceLocation)
        let bound = critical(degrees: max(cells - 1, 1))
        #expect(statistic < bound, "χ² = \(statistic) over \(cells) cells, critical \(bound)", sourceLocation: sourceLocation)
    }
}
