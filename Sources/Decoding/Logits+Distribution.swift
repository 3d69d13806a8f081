import Foundation

/// The derived views of a row. Each is computed on first use and cached until the row is
/// mutated; each costs O(n) once, or O(k) after a truncation left k ≪ n candidates.
extension Logits {
    /// The token with the largest logit (the lowest id among ties).
    public var argmax: Int {
        cache.withLock { cache in
            if let argmax = cache.argmax { return argmax }
            let best = storage.withUnsafeBufferPointer { values in
                if let candidates = cache.candidates {
                    return Logits.argmax(values, ids: candidates)
                }
                let top = VectorMath.maximum(values)
                return values.firstIndex(of: top) ?? -1
            }
            cache.argmax = best
            return best
        }
    }

    /// The largest logit (always finite).
    public var maxLogit: Float { storage[argmax] }

    /// `log Σ exp(logit)` over the unmasked tokens, in Double.
    public var logSumExp: Double {
        if let value = cache.withLock({ $0.logSumExp }) { return value }
        _ = probabilities
        return cache.withLock { $0.logSumExp ?? 0 }
    }

    /// Softmax probabilities; masked tokens get exactly 0. One exponential per unmasked token,
    /// relative to the maximum (vectorized, platform-independent: see `VectorMath.exp`),
    /// summed in Double over blocks of 64.
    public var probabilities: [Float] {
        let top = maxLogit
        return cache.withLock { cache in
            if cache.hasProbabilities { return cache.probabilities }
            // A local buffer (no exclusivity checks per element) reusing the cache's capacity.
            var buffer: [Float] = []
            swap(&buffer, &cache.probabilities)
            if buffer.count != storage.count { buffer = [Float](repeating: 0, count: storage.count) }
            var sum = 0.0
            storage.withUnsafeBufferPointer { values in
                buffer.withUnsafeMutableBufferPointer { weights in
                    if let candidates = cache.candidates {
                        weights.update(repeating: 0)
                        for token in candidates where values[token] != -.infinity {
                            let weight = VectorMath.exp(values[token] - top)
                            weights[token] = weight
                            sum += Double(weight)
                        }
                    } else {
                        sum = VectorMath.exponentials(values, shift: top, into: weights)
                    }
                    let scale = Float(1 / sum)
                    if let candidates = cache.candidates {
                        for token in candidates { weights[token] *= scale }
                    } else {
                        for i in weights.indices { weights[i] *= scale }
                    }
                }
            }
            cache.logSumExp = Double(top) + log(sum)
            cache.probabilities = buffer
            cache.hasProbabilities = true
            return buffer
        }
    }

    /// Log-softmax; masked tokens get `-infinity`.
    public var logProbabilities: [Float] {
        let lse = logSumExp
        return cache.withLock { cache in
            if cache.hasLogProbabilities { return cache.logProbabilities }
            var buffer: [Float] = []
            swap(&buffer, &cache.logProbabilities)
            if buffer.count != storage.count { buffer = [Float](repeating: 0, count: storage.count) }
            storage.withUnsafeBufferPointer { values in
                buffer.withUnsafeMutableBufferPointer { logs in
                    for i in values.indices {
                        logs[i] = values[i] == -.infinity ? -.infinity : Float(Double(values[i]) - lse)
                    }
                }
            }
            cache.logProbabilities = buffer
            cache.hasLogProbabilities = true
            return buffer
        }
    }

    /// `log Σ exp(logit)` of a row that has not been wrapped, with the same bits as
    /// ``logSumExp`` of `Logits(values)` (same maximum, exponentials and block sums), but
    /// without copying the row or writing its probabilities: for the log-probability of a token
    /// under the raw row when only the processed row is sampled from. The row must satisfy the
    /// invariants of ``Logits`` (checked by whoever loaded it).
    /// - Complexity: O(n), two read-only vectorized passes.
    package static func logSumExp(of values: [Float]) -> Double {
        values.withUnsafeBufferPointer { row in
            let top = VectorMath.maximum(row)
            return Double(top) + log(VectorMath.exponentialSum(row, shift: top))
        }
    }

    /// The probability of one token, in Double. O(1) after the first ``logSumExp``.
    public func probability(of token: Int) -> Double {
        let value = storage[token]
        return value == -.infinity ? 0 : exp(Double(value) - logSumExp)
    }

    /// The natural log of one token's probability; `-infinity` for a masked token.
    public func logProbability(of token: Int) -> Double {
        let value = storage[token]
        return value == -.infinity ? -.infinity : Double(value) - logSumExp
    }

    /// Shannon entropy of the softmax distribution in nats, `-Σ p log p = Σ p (logSumExp − logit)`.
    public var entropy: Double {
        let probabilities = self.probabilities
        let lse = logSumExp
        return cache.withLock { cache in
            if let value = cache.entropy { return value }
            var sum = 0.0
            forEachUnmasked(candidates: cache.candidates) { token, value in
                let p = probabilities[token]
                if p > 0 { sum += Double(p) * (lse - Double(value)) }
            }
            let value = max(0, sum)
            cache.entropy = value
            return value
        }
    }

    /// Number of tokens that are not masked.
    public var unmaskedCount: Int {
        cache.withLock { cache in
            if let count = cache.supportCount { return count }
            var count = 0
            if let candidates = cache.candidates {
                forEachUnmasked(candidates: candidates) { _, _ in count += 1 }
            } else {
                count = storage.withUnsafeBufferPointer(VectorMath.countUnmasked)
            }
            cache.supportCount = count
            return count
        }
    }

    /// The `k` tokens with the largest logits, largest first (ties: lower id first); fewer
    /// when fewer than `k` are unmasked. Cached: a later call with the same or a smaller `k`
    /// is a prefix of the first answer.
    ///
    /// - Complexity: O(n log k) with a bounded heap.
    public func topTokens(_ k: Int) -> [Int] {
        precondition(k >= 0, "k must not be negative")
        let wanted = min(k, unmaskedCount)
        return cache.withLock { cache in
            if cache.topTokens.count >= wanted { return Array(cache.topTokens.prefix(wanted)) }
            cache.topTokens = selectTop(wanted, candidates: cache.candidates)
            return cache.topTokens
        }
    }

    /// Visits unmasked entries (the candidate list when known) with the lock already held.
    @inline(__always)
    private func forEachUnmasked(candidates: [Int]?, _ body: (Int, Float) -> Void) {
        storage.withUnsafeBufferPointer { values in
            if let candidates {
                for token in candidates where values[token] != -.infinity { body(token, values[token]) }
            } else {
                for token in values.indices where values[token] != -.infinity { body(token, values[token]) }
            }
        }
    }

    /// The first id of `ids` with the largest unmasked value (-1 if all are masked).
    private static func argmax(_ values: UnsafeBufferPointer<Float>, ids: some Sequence<Int>) -> Int {
        var best = -1
        var bestValue = -Float.infinity
        for id in ids where values[id] > bestValue {
            bestValue = values[id]
            best = id
        }
        return best
    }

    /// Ids of the `k` largest unmasked values, sorted by decreasing value, ties by id.
    private func selectTop(_ k: Int, candidates: [Int]?) -> [Int] {
        guard k > 0 else { return [] }
        return storage.withUnsafeBufferPointer { values in
            if let candidates { return Logits.selectTop(values, ids: candidates, k: k) }
            return Logits.selectTop(values, ids: values.indices, k: k)
        }
    }

    private static func weaker(_ a: (Float, Int), _ b: (Float, Int)) -> Bool {
        a.0 < b.0 || (a.0 == b.0 && a.1 > b.1)
    }

    /// Bounded min-heap selection: the root is the weakest of the k kept so far.
    private static func selectTop(_ values: UnsafeBufferPointer<Float>, ids: some Sequence<Int>, k: Int) -> [Int] {
        var heap: [(Float, Int)] = []
        heap.reserveCapacity(k)
        for id in ids {
            let value = values[id]
            if value == -.infinity { continue }
            if heap.count < k {
                heap.append((value, id))
                var i = heap.count - 1
                while i > 0 {
                    let parent = (i - 1) / 2
                    if !weaker(heap[i], heap[parent]) { break }
                    heap.swapAt(i, parent)
                    i = parent
                }
            } else if value > heap[0].0 {
                heap[0] = (value, id)
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var m = i
                    if l < heap.count && weaker(heap[l], heap[m]) { m = l }
                    if r < heap.count && weaker(heap[r], heap[m]) { m = r }
                    if m == i { break }
                    heap.swapAt(i, m)
                    i = m
                }
            }
        }
        heap.sort { weaker($1, $0) }
        return heap.map(\.1)
    }
}
