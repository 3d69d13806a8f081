import Foundation

extension Logits {
    /// The token with the largest logit (the lowest id among ties). Cached; O(n) once.
    public var argmax: Int {
        cache.withLock { cache in
            if let argmax = cache.argmax { return argmax }
            var best = 0
            var bestValue = -Float.infinity
            storage.withUnsafeBufferPointer { values in
                for i in values.indices where values[i] > bestValue {
                    bestValue = values[i]
                    best = i
                }
            }
            cache.argmax = best
            return best
        }
    }

    /// The largest logit (always finite).
    public var maxLogit: Float { storage[argmax] }

    /// `log Σ exp(logit)` over the unmasked tokens, in Double. Cached; O(n) exponentials once.
    public var logSumExp: Double {
        let top = maxLogit
        return cache.withLock { cache in
            if let value = cache.logSumExp { return value }
            var sum = 0.0
            storage.withUnsafeBufferPointer { values in
                for value in values where value != -.infinity {
                    sum += Double(expf(value - top))
                }
            }
            let value = Double(top) + log(sum)
            cache.logSumExp = value
            return value
        }
    }

    /// Softmax probabilities; masked tokens get exactly 0. Cached; O(n) once.
    public var probabilities: [Float] {
        let lse = logSumExp
        return cache.withLock { cache in
            if cache.hasProbabilities { return cache.probabilities }
            let shift = Float(lse)
            cache.probabilities.removeAll(keepingCapacity: true)
            cache.probabilities.reserveCapacity(storage.count)
            for value in storage {
                cache.probabilities.append(value == -.infinity ? 0 : expf(value - shift))
            }
            cache.hasProbabilities = true
            return cache.probabilities
        }
    }

    /// Log-softmax; masked tokens get `-infinity`. Cached; O(n) once.
    public var logProbabilities: [Float] {
        let lse = logSumExp
        return cache.withLock { cache in
            if cache.hasLogProbabilities { return cache.logProbabilities }
            cache.logProbabilities.removeAll(keepingCapacity: true)
            cache.logProbabilities.reserveCapacity(storage.count)
            for value in storage {
                cache.logProbabilities.append(value == -.infinity ? -.infinity : Float(Double(value) - lse))
            }
            cache.hasLogProbabilities = true
            return cache.logProbabilities
        }
    }

    /// The probability of one token, in Double (exact to the row's precision). O(1) after the
    /// first ``logSumExp``.
    public func probability(of token: Int) -> Double {
        let value = storage[token]
        return value == -.infinity ? 0 : exp(Double(value) - logSumExp)
    }

    /// The natural log of one token's probability; `-infinity` for a masked token.
    public func logProbability(of token: Int) -> Double {
        let value = storage[token]
        return value == -.infinity ? -.infinity : Double(value) - logSumExp
    }

    /// Shannon entropy of the softmax distribution in nats, `-Σ p log p`. Cached; O(n) once.
    public var entropy: Double {
        let lse = logSumExp
        return cache.withLock { cache in
            if let value = cache.entropy { return value }
            var sum = 0.0
            for value in storage where value != -.infinity {
                let logP = Double(value) - lse
                sum -= exp(logP) * logP
            }
            let value = max(0, sum)
            cache.entropy = value
            return value
        }
    }

    /// Number of tokens that are not masked. Cached; O(n) once.
    public var unmaskedCount: Int {
        cache.withLock { cache in
            if let count = cache.supportCount { return count }
            var count = 0
            for value in storage where value != -.infinity { count += 1 }
            cache.supportCount = count
            return count
        }
    }

    /// The `k` tokens with the largest logits, largest first (ties: lower id first); fewer
    /// when fewer than `k` are unmasked. Cached: a later call with the same or a smaller `k`
    /// is a slice of the first answer.
    ///
    /// - Complexity: O(n log k) with a bounded heap.
    public func topTokens(_ k: Int) -> [Int] {
        precondition(k >= 0, "k must not be negative")
        let wanted = min(k, unmaskedCount)
        return cache.withLock { cache in
            if cache.topTokens.count >= wanted { return Array(cache.topTokens.prefix(wanted)) }
            cache.topTokens = Logits.selectTop(storage, wanted)
            return cache.topTokens
        }
    }

    /// Ids of the `k` largest unmasked values, sorted by decreasing value, ties by id.
    static func selectTop(_ values: [Float], _ k: Int) -> [Int] {
        guard k > 0 else { return [] }
        // Min-heap of (value, id) of size k; the root is the weakest kept token.
        var heap: [(Float, Int)] = []
        heap.reserveCapacity(k)
        func weaker(_ a: (Float, Int), _ b: (Float, Int)) -> Bool {
            a.0 < b.0 || (a.0 == b.0 && a.1 > b.1)
        }
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && weaker(heap[l], heap[m]) { m = l }
                if r < heap.count && weaker(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for (id, value) in values.enumerated() where value != -.infinity {
            if heap.count < k {
                heap.append((value, id))
                var i = heap.count - 1
                while i > 0 {
                    let parent = (i - 1) / 2
                    if !weaker(heap[i], heap[parent]) { break }
                    heap.swapAt(i, parent)
                    i = parent
                }
            } else if weaker(heap[0], (value, id)) {
                heap[0] = (value, id)
                siftDown(0)
            }
        }
        heap.sort { weaker($1, $0) }
        return heap.map(\.1)
    }
}
