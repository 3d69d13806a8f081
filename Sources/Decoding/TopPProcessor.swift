/// Nucleus sampling: keeps the smallest set of most likely tokens whose probability reaches
/// `p` (Holtzman et al., "The Curious Case of Neural Text Degeneration", 2020; llama.cpp
/// `llama_sampler_init_top_p`: the token that crosses `p` is kept, cumulative sum `>= p`).
public struct TopPProcessor: LogitProcessor {
    /// The probability mass kept.
    public let p: Float

    /// - Throws: ``SamplingError/invalidParameter(_:)`` unless `0 < p <= 1`.
    public init(_ p: Float) throws {
        try require(p > 0 && p <= 1, "topP must be in (0, 1], got \(p)")
        self.p = p
    }

    /// `top_p`.
    public var name: String { "top_p" }

    /// Masks the tail beyond the nucleus. O(n + m log n) for a nucleus of m tokens (heap
    /// selection, no full sort).
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        guard p < 1, logits.unmaskedCount > 1 else { return }
        var heap = MaxHeap(logits.unmaskedProbabilities().map { ($0.probability, $0.token) })
        var kept: [Int] = []
        var cumulative = 0.0
        let target = Double(p)
        while let (probability, token) = heap.pop() {
            kept.append(token)
            cumulative += Double(probability)
            if cumulative >= target { break }
        }
        logits.keepOnlyUnchecked(kept)
    }
}

/// A binary max-heap of (score, token), larger score first, lower token first among ties.
struct MaxHeap {
    private var items: [(Float, Int)]

    init(_ items: [(Float, Int)]) {
        self.items = items
        var i = items.count / 2 - 1
        while i >= 0 {
            siftDown(i)
            i -= 1
        }
    }

    private func before(_ a: (Float, Int), _ b: (Float, Int)) -> Bool {
        a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count && before(items[l], items[m]) { m = l }
            if r < items.count && before(items[r], items[m]) { m = r }
            if m == i { return }
            items.swapAt(i, m)
            i = m
        }
    }

    mutating func pop() -> (Float, Int)? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            siftDown(0)
        }
        return first
    }
}
