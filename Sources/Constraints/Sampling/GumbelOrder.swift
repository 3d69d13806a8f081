import Foundation

/// A random order of tokens drawn without replacement from a distribution, by Gumbel-top-k
/// keys (Kool, van Hoof & Welling, "Stochastic Beams and Where to Find Them", 2019): the token
/// with the largest `log p + G` (G standard Gumbel) comes first, and the order of the keys is
/// a sample of sequential sampling without replacement.
///
/// The order is materialized lazily: ``reset(logProbabilities:excluded:using:)`` computes
/// every key (one pass) and selects only the best ``headSize`` with a bounded heap; a walk that
/// goes past them turns the rest into a max-heap once and pops on demand. AWRS almost always
/// stops within the first few tokens, so the vocabulary is never sorted.
///
/// Buffers are kept between resets, so a warm order allocates nothing.
package struct GumbelOrder {
    /// How many tokens the first selection materializes.
    static let headSize = 8

    /// Key of each token; `-infinity` for excluded tokens (and, once the heap is built, for
    /// those already in ``order``).
    private var keys: [Double] = []
    /// Tokens in decreasing key order, as far as materialized.
    private var order: [Int] = []
    /// Max-heap (by key) of the tokens not yet in ``order`` once the head is exhausted.
    private var heap: [Int32] = []
    private var heapBuilt = false
    /// Number of tokens with a finite key.
    package private(set) var count = 0

    /// An empty order; call ``reset(logProbabilities:excluded:using:)`` before reading it.
    package init() {}

    /// Draws fresh keys for `logProbabilities` (masked tokens: `-infinity`), leaving out the
    /// tokens in `excluded`.
    ///
    /// - Complexity: O(n) keys (two logarithms each) and O(n log ``headSize``) selection.
    package mutating func reset(logProbabilities: [Float], excluded: [Int] = [], using rng: inout some RandomNumberGenerator) {
        let n = logProbabilities.count
        if keys.count != n { keys = [Double](repeating: -.infinity, count: n) }
        order.removeAll(keepingCapacity: true)
        heap.removeAll(keepingCapacity: true)
        heapBuilt = false
        var finite = 0
        keys.withUnsafeMutableBufferPointer { keys in
            logProbabilities.withUnsafeBufferPointer { logp in
                for i in 0..<n {
                    let value = logp[i]
                    if value == -.infinity {
                        keys[i] = -.infinity
                    } else {
                        // u in (0, 1): the top 53 bits plus one half, so neither log is infinite.
                        let u = (Double(rng.next() >> 11) + 0.5) * 0x1p-53
                        keys[i] = Double(value) - log(-log(u))
                        finite += 1
                    }
                }
            }
        }
        for token in excluded where keys[token] != -.infinity {
            keys[token] = -.infinity
            finite -= 1
        }
        count = finite
        selectHead()
    }

    /// The `index`-th token of the order (0-based), or `nil` past the last token with a finite key.
    package mutating func token(at index: Int) -> Int? {
        guard index < count else { return nil }
        while order.count <= index {
            if !heapBuilt { buildHeap() }
            order.append(popHeap())
        }
        return order[index]
    }

    /// Puts the best ``headSize`` tokens into ``order`` with a bounded min-heap.
    private mutating func selectHead() {
        let k = min(GumbelOrder.headSize, count)
        guard k > 0 else { return }
        // `heap` temporarily holds a min-heap of the best k seen so far.
        keys.withUnsafeBufferPointer { keys in
            for i in 0..<keys.count where keys[i] != -.infinity {
                if heap.count < k {
                    heap.append(Int32(i))
                    siftUp(heap.count - 1, keys, min: true)
                } else if keys[i] > keys[Int(heap[0])] {
                    heap[0] = Int32(i)
                    siftDown(0, keys, min: true)
                }
            }
        }
        // Sort the head descending (k is tiny).
        for token in heap { order.append(Int(token)) }
        order.sort { keys[$0] > keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
        heap.removeAll(keepingCapacity: true)
    }

    /// Heapifies every finite-key token not yet in ``order`` (O(n)).
    private mutating func buildHeap() {
        heapBuilt = true
        for token in order { keys[token] = -.infinity }  // taken: keep them out of the heap
        keys.withUnsafeBufferPointer { keys in
            for i in 0..<keys.count where keys[i] != -.infinity { heap.append(Int32(i)) }
            var node = heap.count / 2
            while node > 0 {
                node -= 1
                siftDown(node, keys, min: false)
            }
        }
    }

    private mutating func popHeap() -> Int {
        let top = Int(heap[0])
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            keys.withUnsafeBufferPointer { siftDown(0, $0, min: false) }
        }
        return top
    }

    @inline(__always)
    private func before(_ a: Int32, _ b: Int32, _ keys: UnsafeBufferPointer<Double>, min: Bool) -> Bool {
        let ka = keys[Int(a)], kb = keys[Int(b)]
        if ka == kb { return min ? a > b : a < b }
        return min ? ka < kb : ka > kb
    }

    private mutating func siftUp(_ start: Int, _ keys: UnsafeBufferPointer<Double>, min: Bool) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(heap[child], heap[parent], keys, min: min) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int, _ keys: UnsafeBufferPointer<Double>, min: Bool) {
        var parent = start
        let n = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { return }
            var best = left
            if left + 1 < n && before(heap[left + 1], heap[left], keys, min: min) { best = left + 1 }
            guard before(heap[best], heap[parent], keys, min: min) else { return }
            heap.swapAt(best, parent)
            parent = best
        }
    }
}
