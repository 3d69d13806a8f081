/// Draws a token with probability `softmax(logits)`: inverse-CDF sampling with one uniform
/// double from a seeded ``Xoshiro256StarStar`` per draw, so the same seed and logits give the
/// same token on every platform.
public struct CategoricalSampler: TokenSampler {
    /// The sequence's generator; copying the sampler forks it.
    public var generator: Xoshiro256StarStar

    /// A sampler drawing from a generator seeded with `seed`.
    public init(seed: UInt64) {
        generator = Xoshiro256StarStar(seed: seed)
    }

    /// A sampler drawing from `generator`.
    public init(generator: Xoshiro256StarStar) {
        self.generator = generator
    }

    /// Draws one token. O(n) (one pass over the cached probabilities).
    public mutating func sample(_ logits: Logits) -> Int {
        CategoricalSampler.draw(from: logits, using: &generator)
    }

    /// Draws one token with the caller's generator: `u` uniform on `[0, 1)`, then the first
    /// token whose cumulative probability exceeds `u × total`.
    public static func draw(from logits: Logits, using generator: inout some RandomNumberGenerator) -> Int {
        let probabilities = logits.probabilities
        let u = generator.nextUnitInterval()
        return probabilities.withUnsafeBufferPointer { p in
            var total = 0.0
            for value in p { total += Double(value) }
            let target = u * total
            var cumulative = 0.0
            var last = logits.argmax
            for i in p.indices where p[i] > 0 {
                cumulative += Double(p[i])
                last = i
                if cumulative > target { return i }
            }
            return last
        }
    }
}
