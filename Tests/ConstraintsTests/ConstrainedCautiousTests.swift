import Constraints
import Decoding
import DecodingTestSupport
import Foundation
import Testing

/// Cautious next-token prediction under a constraint (the constraint's mask first in CNTP's
/// chain), on the exact test model, against CNTP's definition with every distribution the
/// constrained one: the entropy that sets the trial count, the trials' draws and the
/// perplexities that choose among them.
struct ConstrainedCautiousTests {
    static let model = ExactTestModel(vocabularySize: 10, order: 2, seed: 19, spread: 3)  // a b ␠ . , C3 A9 c ! EOS
    static let prompt = [7, 8]
    static let punctuation: Set<Int> = [4]  // ","

    static func mask() throws -> ConstraintMask<RegexConstraint> {
        var mask = try ConstraintMask(constraint: try RegexConstraint(pattern: "(a|b |c)+(é|,)?"),
                                      table: TokenBytes(model.tokenBytes), stopTokens: [model.eos])
        mask.begin(at: prompt.count)
        return mask
    }

    /// Every segment one trial can draw (ended by punctuation, EOS or `limit` tokens) with its
    /// probability under the constrained distribution and its perplexity.
    static func segments(limit: Int) throws -> [(tokens: [Int], probability: Double, perplexity: Double)] {
        let chain = LogitProcessorChain([try mask()])
        var result: [(tokens: [Int], probability: Double, perplexity: Double)] = []
        func extend(_ tokens: [Int], _ logSum: Double) throws {
            if let last = tokens.last, punctuation.contains(last) || last == model.eos || tokens.count == limit {
                result.append((tokens, exp(logSum), exp(-logSum / Double(tokens.count))))
                return
            }
            var stages: LogitProcessorChain? = chain
            let q = try model.nextProbabilities(after: prompt + tokens, chain: &stages)
            for (token, p) in q.enumerated() where p > 0 { try extend(tokens + [token], logSum + log(p)) }
        }
        try extend([], 0)
        return result
    }

    /// The first minimum-perplexity trial of `trials` independent ones is segment `s` with
    /// probability `P(ppl ≥ ppl(s))^N − P(ppl > ppl(s))^N` (no two segments share a perplexity here).
    @Test("with N trials, the committed segment follows the exact first-minimum distribution under the constraint")
    func segmentDistribution() throws {
        let limit = 3, trials = 3, runs = 6000
        let segments = try Self.segments(limit: limit)
        #expect(Set(segments.map { $0.perplexity.bitPattern }).count == segments.count, "perplexities are distinct")
        var exact: [[Int]: Double] = [:]
        for segment in segments {
            let atLeast = segments.filter { $0.perplexity >= segment.perplexity }.reduce(0) { $0 + $1.probability }
            let above = segments.filter { $0.perplexity > segment.perplexity }.reduce(0) { $0 + $1.probability }
            exact[segment.tokens] = pow(atLeast, Double(trials)) - pow(above, Double(trials))
        }
        #expect(abs(exact.values.reduce(0, +) - 1) < 1e-6)
        var histogram: [[Int]: Int] = [:]
        for seed in 0..<UInt64(runs) {
            var strategy = try CautiousStrategy(chain: LogitProcessorChain([try Self.mask()]), seed: seed,
                                                options: CautiousOptions(fixedTrialCount: trials, maxSegmentLength: limit),
                                                punctuationTokens: Self.punctuation)
            var session = try Self.model.makeSession(prompt: Self.prompt)
            let step = try strategy.step(&session, context: StepContext(model: Self.model, remainingTokens: limit))
            histogram[step.tokens, default: 0] += 1
        }
        // Pearson χ² over the cells with expected count ≥ 5, the rest pooled; bound mean + 6 sd.
        var chi = 0.0, cells = 0, pooledObserved = 0.0, pooledExpected = 0.0
        for (tokens, p) in exact {
            let expected = p * Double(runs), observed = Double(histogram[tokens, default: 0])
            if expected < 5 { pooledObserved += observed; pooledExpected += expected; continue }
            chi += (observed - expected) * (observed - expected) / expected
            cells += 1
        }
        if pooledExpected > 0 {
            chi += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected
            cells += 1
        }
        let df = Double(max(1, cells - 1))
        #expect(Set(histogram.keys).isSubset(of: Set(exact.keys)), "every committed segment is a valid prefix")
        #expect(chi < df + 6 * (2 * df).squareRoot(), "χ² \(chi), df \(df)")
    }

    @Test("the trial count comes from the constrained distribution's entropy; trials and perplexities are constrained")
    func entropyAndTrials() throws {
        let options = CautiousOptions(entropyLow: 0.05, entropyHigh: 1.2, maxTrials: 6, maxSegmentLength: 4)
        let constraint = try RegexConstraint(pattern: "(a|b |c)+(é|,)?")
        let table = TokenBytes(Self.model.tokenBytes)
        var branched = 0
        for seed: UInt64 in 0..<20 {
            var strategy = try CautiousStrategy(chain: LogitProcessorChain([try Self.mask()]), seed: seed, options: options,
                                                punctuationTokens: Self.punctuation)
            var session = try Self.model.makeSession(prompt: Self.prompt)
            var generated: [Int] = []
            while generated.count < 8, !Self.model.specialTokens.isStop(generated.last ?? -1) {
                var stages: LogitProcessorChain? = LogitProcessorChain([try Self.mask()])
                let q = try Self.model.nextProbabilities(after: Self.prompt + generated, chain: &stages)
                let entropy = -q.filter { $0 > 0 }.reduce(0) { $0 + $1 * log($1) }
                let step = try strategy.step(&session, context: StepContext(model: Self.model, remainingTokens: 8 - generated.count))
                let expectedTrials = options.trialCount(entropy: entropy)
                if expectedTrials > 1 {
                    branched += 1
                    #expect(strategy.lastTrials.count == expectedTrials)
                    for trial in strategy.lastTrials {
                        let p = try Self.model.probability(of: trial.tokens, after: Self.prompt + generated,
                                                           chain: LogitProcessorChain([try Self.mask()]))
                        #expect(abs(pow(p, -1 / Double(trial.tokens.count)) - trial.perplexity) < 1e-4 * trial.perplexity)
                    }
                } else {
                    #expect(strategy.lastTrials.isEmpty)
                }
                generated += step.tokens
            }
            let text = generated.filter { $0 != Self.model.eos }.flatMap { table[$0] }
            #expect(try constraint.advance(constraint.start, by: text) != nil, "\(generated) stays in the language")
        }
        #expect(branched > 0)
    }
}
