import Decoding
import DecodingTestSupport
import Foundation
import Speculative
import Testing

/// Cautious next-token prediction whose ordinary steps are speculative
/// (``Decoding/CautiousStrategy/plainSteps`` a ``SpeculativeStrategy`` that stops before any
/// position whose entropy calls for trials) against CNTP's exact distribution, enumerated on the
/// exact test model: at each prefix, the entropy of the processed distribution decides between
/// one sampled token and N trials, whose committed segment is the first of minimum perplexity
/// (`P(ppl ≥ ppl(s))^N − P(ppl > ppl(s))^N` for N independent trials).
struct CautiousSpeculativeExactnessTests {
    static let model = ExactTestModel(vocabularySize: 8, order: 2, seed: 3, spread: 4)
    static let prompt = [0, 1, 2, 3, 0, 1, 3, 4, 0, 1, 2, 0, 1]
    static let punctuation: Set<Int> = [3, 4]
    /// Trials (up to 3) where the entropy exceeds the median entropy of the prefixes of up to two
    /// tokens, one token elsewhere: both kinds of position occur.
    static let options: CautiousOptions = {
        var entropies: [Double] = []
        var prefixes: [[Int]] = [[]]
        for _ in 0..<2 { prefixes += prefixes.flatMap { p in (0..<model.vocabularySize - 1).map { p + [$0] } } }
        for prefix in Set(prefixes) {
            let q = model.probabilities(after: prompt + prefix)
            let t = 0.9
            let weights = q.map { pow($0, 1 / t) }
            let total = weights.reduce(0, +)
            entropies.append(weights.reduce(0) { $0 - ($1 > 0 ? $1 / total * log($1 / total) : 0) })
        }
        let median = entropies.sorted()[entropies.count / 2]
        return CautiousOptions(entropyLow: median - 0.5, entropyHigh: median + 0.5, maxTrials: 3, maxSegmentLength: 3)
    }()
    static let length = 4

    static func chain() throws -> LogitProcessorChain {
        try SamplingParameters(temperature: 0.9, topK: 0, topP: 1, minP: 0).makeChain()
    }

    /// The exact distribution of the first `length` tokens, with how many prefixes branched and
    /// how many did not (so the test covers both).
    static func exact() throws -> (distribution: [[Int]: Double], branched: Int, plain: Int) {
        var result: [[Int]: Double] = [:]
        var branched = 0, plain = 0
        func next(_ generated: [Int]) throws -> [Double] {
            var stages: LogitProcessorChain? = try chain()
            return try model.nextProbabilities(after: prompt + generated, chain: &stages)
        }
        func segments(from generated: [Int], limit: Int) throws -> [(tokens: [Int], probability: Double, perplexity: Double)] {
            var found: [(tokens: [Int], probability: Double, perplexity: Double)] = []
            func extend(_ tokens: [Int], _ logSum: Double) throws {
                if let last = tokens.last, punctuation.contains(last) || last == model.eos || tokens.count == limit {
                    found.append((tokens, exp(logSum), exp(-logSum / Double(tokens.count))))
                    return
                }
                for (token, p) in try next(generated + tokens).enumerated() where p > 0 {
                    try extend(tokens + [token], logSum + log(p))
                }
            }
            try extend([], 0)
            return found
        }
        func walk(_ generated: [Int], _ probability: Double) throws {
            if generated.count == length || generated.last == model.eos {
                result[generated, default: 0] += probability
                return
            }
            let q = try next(generated)
            let entropy = q.reduce(0) { $0 - ($1 > 0 ? $1 * log($1) : 0) }
            guard options.branches(atEntropy: entropy) else {
                plain += 1
                for (token, p) in q.enumerated() where p > 0 { try walk(generated + [token], probability * p) }
                return
            }
            branched += 1
            let trials = Double(options.trialCount(entropy: entropy))
            let all = try segments(from: generated, limit: min(options.maxSegmentLength, length - generated.count))
            for segment in all {
                let atLeast = all.filter { $0.perplexity >= segment.perplexity }.reduce(0) { $0 + $1.probability }
                let above = all.filter { $0.perplexity > segment.perplexity }.reduce(0) { $0 + $1.probability }
                try walk(generated + segment.tokens, probability * (pow(atLeast, trials) - pow(above, trials)))
            }
        }
        try walk([], 1)
        return (result, branched, plain)
    }

    @Test("CNTP with speculative ordinary steps samples CNTP's exact distribution")
    func exactness() throws {
        let (exact, branched, plain) = try Self.exact()
        #expect(branched > 0 && plain > 0, "the case covers branching and ordinary positions")
        #expect(abs(exact.values.reduce(0, +) - 1) < 1e-6)
        let runs = 4000
        var histogram: [[Int]: Int] = [:]
        for seed in 0..<UInt64(runs) {
            var speculative = try SpeculativeStrategy(target: Self.model, drafter: NGramDrafter(minimumOrder: 1, maximumOrder: 3),
                                                      tree: .dynamic(budget: 8, depth: 4), chain: Self.chain(), seed: seed ^ 0xABCD)
            speculative.stopsBefore = { Self.options.branches(atEntropy: $0.entropy) }
            var cautious = try CautiousStrategy(chain: Self.chain(), seed: seed, options: Self.options,
                                                punctuationTokens: Self.punctuation)
            cautious.plainSteps = speculative
            let result = try Generator(model: Self.model, strategy: cautious, maxTokens: Self.length).run(prompt: Self.prompt)
            histogram[result.tokens, default: 0] += 1
        }
        let comparison = Comparison(histogram: histogram, exact: exact, samples: runs)
        print("cautious with speculative ordinary steps: \(comparison) (\(branched) branching, \(plain) ordinary prefixes)")
        #expect(comparison.chiSquare < comparison.chiSquareBound, "\(comparison)")
        #expect(comparison.totalVariation < comparison.totalVariationBound, "\(comparison)")
    }
}
