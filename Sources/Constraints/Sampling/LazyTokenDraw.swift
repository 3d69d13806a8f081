import Decoding
import Foundation

/// Draws tokens one at a time from the softmax of a logits row restricted to the tokens not yet
/// removed: sequential sampling without replacement when every drawn token is removed, which
/// has the law of a Gumbel-top-k order (Kool, van Hoof & Welling, "Stochastic Beams and Where
/// to Find Them", 2019) without a key per token.
///
/// ``reset(_:)`` takes the row's cached probabilities (the same pass plain sampling needs) and
/// sums them in blocks of ``blockSize`` tokens. A draw picks a block by inverse CDF over the
/// block sums of the remaining mass, then a token inside it; ``remove(_:)`` re-sums the token's
/// block from its members, so the remaining mass never suffers from cancellation however much
/// has been removed.
///
/// Tokens whose probability underflows Float32 (logits more than ~100 below the maximum) get no
/// share of the first pass; when everything with mass has been removed and such tokens remain,
/// the draw re-weights the remaining tokens relative to their own maximum (one O(n) pass, only
/// on that rare path), so every unmasked token stays reachable, as under exact sampling.
///
/// Buffers are kept between resets: a warm draw allocates nothing, provided ``release()`` hands
/// the row back before its owner overwrites it.
///
/// - Complexity: ``reset(_:)`` O(n); ``next(using:)`` and ``remove(_:)``
///   O(n / ``blockSize`` + ``blockSize``).
package struct LazyTokenDraw {
    /// Tokens per block: sized so the block sums and one block's members cost about the same.
    package let blockSize: Int
    private var logits: Logits?
    /// The row's probabilities (shared with the row's cache, never written).
    private var probabilities: [Float] = []
    /// Weights relative to the largest remaining logit, once the probabilities are exhausted.
    private var tailWeights: [Float] = []
    private var inTail = false
    /// Probability of a token = its weight × `scale`.
    private var scale = 1.0
    private var removed: [Bool] = []
    private var removedTokens: [Int] = []
    private var blockSums: [Double] = []
    /// Σ of the block sums: the remaining weight.
    private var total = 0.0

    /// An empty draw with blocks of `blockSize` tokens; call ``reset(_:)`` before drawing.
    package init(blockSize: Int = 256) {
        precondition(blockSize > 0, "blockSize must be positive")
        self.blockSize = blockSize
    }

    /// Starts over on `logits`: every unmasked token is available again.
    ///
    /// - Complexity: O(n): the row's probabilities (cached by ``Logits``) and one summing pass.
    package mutating func reset(_ logits: Logits) {
        for token in removedTokens { removed[token] = false }
        removedTokens.removeAll(keepingCapacity: true)
        probabilities = logits.probabilities
        self.logits = logits
        let n = probabilities.count
        if removed.count != n { removed = [Bool](repeating: false, count: n) }
        let blocks = (n + blockSize - 1) / blockSize
        if blockSums.count != blocks { blockSums = [Double](repeating: 0, count: blocks) }
        inTail = false
        var sum = 0.0
        probabilities.withUnsafeBufferPointer { p in
            blockSums.withUnsafeMutableBufferPointer { sums in
                for block in 0..<blocks {
                    let start = block * blockSize
                    let end = min(n, start + blockSize)
                    // Four accumulators: the block sum pass is the draw's only O(n) work.
                    var a = 0.0, b = 0.0, c = 0.0, d = 0.0
                    var i = start
                    while i + 4 <= end {
                        a += Double(p[i]); b += Double(p[i + 1]); c += Double(p[i + 2]); d += Double(p[i + 3])
                        i += 4
                    }
                    while i < end { a += Double(p[i]); i += 1 }
                    sums[block] = (a + b) + (c + d)
                    sum += sums[block]
                }
            }
        }
        total = sum
        scale = sum > 0 ? 1 / sum : 0
    }

    /// Lets go of the row given to ``reset(_:)``, so the caller's next in-place update of it
    /// (``Logits`` reuses its buffers when uniquely referenced) allocates nothing. Drawing
    /// again needs a ``reset(_:)``.
    package mutating func release() {
        logits = nil
        probabilities = []
        total = 0
        scale = 0
    }

    /// The probability of `token` under the full row (removed or not), in Double.
    package func probability(of token: Int) -> Double {
        if inTail, let logits { return logits.probability(of: token) }
        return Double(probabilities[token]) * scale
    }

    /// The probability mass of the tokens not removed, summed afresh from the blocks. Before a
    /// draw has re-weighted to the tail it leaves out tokens whose probability underflows.
    package var remainingMass: Double { total * scale }

    /// Whether `token` has been removed since the last ``reset(_:)``.
    package func isRemoved(_ token: Int) -> Bool { removed[token] }

    /// Takes `token` out of later draws (a no-op if it is already out or outside the row).
    package mutating func remove(_ token: Int) {
        guard token >= 0 && token < removed.count && !removed[token] else { return }
        removed[token] = true
        removedTokens.append(token)
        let block = token / blockSize
        blockSums[block] = blockSum(block)
        total = blockSums.withUnsafeBufferPointer { sums in sums.reduce(0, +) }
    }

    /// Takes every token of `tokens` out of later draws, as ``remove(_:)`` one at a time would
    /// (the same block sums and total), but re-sums each touched block once per run of tokens in
    /// it and the total once.
    ///
    /// - Complexity: O(k + b · 256 + n / 256) for k tokens touching b blocks, where k calls of
    ///   ``remove(_:)`` cost O(k · (256 + n / 256)): for Gemma 3's 6 249 control tokens out of
    ///   262 144, at most 0.3 M additions per draw instead of 8 M (about 7 ms of AWRS's time per
    ///   token, measured).
    package mutating func remove(contentsOf tokens: [Int]) {
        var current = -1
        for token in tokens where token >= 0 && token < removed.count && !removed[token] {
            removed[token] = true
            removedTokens.append(token)
            let block = token / blockSize
            if block != current {
                if current >= 0 { blockSums[current] = blockSum(current) }
                current = block
            }
        }
        guard current >= 0 else { return }
        blockSums[current] = blockSum(current)
        total = blockSums.withUnsafeBufferPointer { sums in sums.reduce(0, +) }
    }

    /// Takes every token outside `mask` out of later draws at once (what ``remove(_:)`` of each
    /// would do), re-summing every block once.
    ///
    /// - Complexity: O(n).
    package mutating func restrict(to mask: TokenMask) {
        let n = removed.count
        for token in 0..<n where !removed[token] && !mask.contains(token) {
            removed[token] = true
            removedTokens.append(token)
        }
        for block in blockSums.indices { blockSums[block] = blockSum(block) }
        total = blockSums.withUnsafeBufferPointer { sums in sums.reduce(0, +) }
    }

    /// Draws a token with probability proportional to its probability among the tokens not
    /// removed (the drawn token is *not* removed), or `nil` when every unmasked token is out.
    /// One uniform per draw.
    package mutating func next(using rng: inout some RandomNumberGenerator) -> Int? {
        if total <= 0 {
            guard reweightTail() else { return nil }
        }
        let target = rng.nextUnitInterval() * total
        var cumulative = 0.0
        var last = -1
        for block in blockSums.indices where blockSums[block] > 0 {
            if cumulative + blockSums[block] > target { return token(in: block, target: target - cumulative) }
            cumulative += blockSums[block]
            last = block
        }
        // Rounding left the target past the end: the last token with weight.
        return token(in: last, target: .infinity)
    }

    /// The token of `block` where the cumulative weight passes `target`; the last token with
    /// weight when rounding leaves the target past the end.
    private func token(in block: Int, target: Double) -> Int {
        let start = block * blockSize
        let end = min(removed.count, start + blockSize)
        return withWeights { w in
            var cumulative = 0.0
            var last = -1
            for i in start..<end where !removed[i] && w[i] > 0 {
                cumulative += Double(w[i])
                last = i
                if cumulative > target { return i }
            }
            return last
        }
    }

    private func blockSum(_ block: Int) -> Double {
        let start = block * blockSize
        let end = min(removed.count, start + blockSize)
        return withWeights { w in
            var sum = 0.0
            for i in start..<end where !removed[i] { sum += Double(w[i]) }
            return sum
        }
    }

    private func withWeights<R>(_ body: (UnsafeBufferPointer<Float>) -> R) -> R {
        inTail ? tailWeights.withUnsafeBufferPointer(body) : probabilities.withUnsafeBufferPointer(body)
    }

    /// Re-weights the remaining unmasked tokens by `exp(logit − m)`, `m` their largest logit,
    /// once the remaining weight is zero; `false` if no unmasked token remains.
    private mutating func reweightTail() -> Bool {
        guard let logits else { return false }
        let values = logits.values
        var top = -Float.infinity
        for i in values.indices where !removed[i] && values[i] > top { top = values[i] }
        guard top > -.infinity else { return false }
        if tailWeights.count != values.count { tailWeights = [Float](repeating: 0, count: values.count) }
        for i in values.indices {
            tailWeights[i] = removed[i] || values[i] == -.infinity ? 0 : Foundation.exp(values[i] - top)
        }
        inTail = true
        scale = Foundation.exp(Double(top) - logits.logSumExp)
        for block in blockSums.indices { blockSums[block] = blockSum(block) }
        total = blockSums.reduce(0, +)
        return total > 0
    }
}
