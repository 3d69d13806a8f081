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

    /// Draws one token. O(n) over the cached probabilities.
    public mutating func sample(_ logits: Logits) -> Int {
        CategoricalSampler.draw(from: logits, using: &generator)
    }

    /// Draws one token with the caller's generator: `u` uniform on `[0, 1)`, then the first
    /// token whose cumulative probability exceeds `u × total` (total = the sum of the Float
    /// probabilities, so rounding never favours the last token).
    ///
    /// - Complexity: O(n): block sums of 64 probabilities locate the block, one scan inside it.
    public static func draw(from logits: Logits, using generator: inout some RandomNumberGenerator) -> Int {
        let probabilities = logits.probabilities
        let u = generator.nextUnitInterval()
        if let candidates = logits.candidateTokens {
            // Few candidates (after a truncation): the same ascending-id CDF, in O(k).
            var total = 0.0
            for token in candidates { total += Double(probabilities[token]) }
            let target = u * total
            var cumulative = 0.0
            var last = logits.argmax
            for token in candidates where probabilities[token] > 0 {
                cumulative += Double(probabilities[token])
                last = token
                if cumulative > target { return token }
            }
            return last
        }
        return probabilities.withUnsafeBufferPointer { p in
            let blockSize = 64
            let blockCount = (p.count + blockSize - 1) / blockSize
            func blockSum(_ block: Int) -> Double {
                var sum: Float = 0
                for i in block * blockSize..<min(p.count, (block + 1) * blockSize) { sum += p[i] }
                return Double(sum)
            }
            var total = 0.0
            for block in 0..<blockCount { total += blockSum(block) }
            let target = u * total
            var cumulative = 0.0
            for block in 0..<blockCount {
                let sum = blockSum(block)
                if cumulative + sum > target {
                    var inner = cumulative
                    for i in block * blockSize..<min(p.count, (block + 1) * blockSize) where p[i] > 0 {
                        inner += Double(p[i])
                        if inner > target { return i }
                    }
                }
                cumulative += sum
            }
            // Rounding between the two sums: the last token with probability.
            return p.lastIndex(where: { $0 > 0 }) ?? logits.argmax
        }
    }
}
