import Decoding
import DecodingTestSupport
import Search

/// Runs `strategy` through a ``Generator`` after `prompt` and returns the generated tokens.
func generate<S: DecodingStrategy>(_ model: ExactTestModel, _ strategy: S, prompt: [Int] = [0], maxTokens: Int) throws -> [Int] {
    try Generator(model: model, strategy: strategy, maxTokens: maxTokens).run(prompt: prompt).tokens
}

/// Plain sampling with `seed` (the reference the searches must reproduce).
func sampling(seed: UInt64, chain: LogitProcessorChain = LogitProcessorChain()) -> SamplingStrategy<CategoricalSampler> {
    SamplingStrategy(chain: chain, sampler: CategoricalSampler(seed: seed))
}

/// Total variation distance between an empirical count table and exact probabilities.
func totalVariation(_ counts: [[Int]: Int], _ exact: [[Int]: Double]) -> Double {
    let n = Double(counts.values.reduce(0, +))
    let keys = Set(counts.keys).union(exact.keys)
    return keys.reduce(0) { $0 + abs(Double(counts[$1] ?? 0) / n - (exact[$1] ?? 0)) } / 2
}
