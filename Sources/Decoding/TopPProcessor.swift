/// Nucleus sampling: keeps the smallest set of most likely tokens whose probability reaches
/// `p` (Holtzman et al., "The Curious Case of Neural Text Degeneration", 2020; llama.cpp
/// `llama_sampler_init_top_p`: the token that crosses `p` is kept, cumulative sum `>= p`).
/// Ties at the cut keep the lower ids.
public struct TopPProcessor: LogitProcessor {
    /// The probability mass kept.
    public let p: Float

    /// Scratch reused between calls (no allocation per token in steady state).
    private var bucketMass: [Double] = []
    private var crossing: [(Float, Int)] = []

    /// Number of logit buckets of the linear-time cut search.
    private static let bucketCount = 1024

    /// - Throws: ``SamplingError/invalidParameter(_:)`` unless `0 < p <= 1`.
    public init(_ p: Float) throws {
        try require(p > 0 && p <= 1, "topP must be in (0, 1], got \(p)")
        self.p = p
    }

    /// `top_p`.
    public var name: String { "top_p" }

    /// Masks the tail beyond the nucleus. O(n) plus a sort of the one logit bucket the cut
    /// falls in (as llama.cpp's bucket sort): no full sort of the vocabulary.
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        guard p < 1, logits.unmaskedCount > 1 else { return }
        let probabilities = logits.probabilities
        let candidates = logits.candidateTokens
        var mass: [Double] = []
        var inBucket: [(Float, Int)] = []
        swap(&mass, &bucketMass)
        swap(&inBucket, &crossing)
        defer {
            swap(&mass, &bucketMass)
            swap(&inBucket, &crossing)
        }
        let (cutValue, cutToken) = logits.values.withUnsafeBufferPointer { values in
            probabilities.withUnsafeBufferPointer { probabilities in
                if let candidates {
                    return Self.cutoff(values, probabilities, ids: candidates, target: Double(p), mass: &mass, crossing: &inBucket)
                }
                return Self.cutoff(values, probabilities, ids: values.indices, target: Double(p), mass: &mass, crossing: &inBucket)
            }
        }
        logits.withMaskingMutation { values, candidates in
            func cut(_ i: Int) {
                if values[i] < cutValue || (values[i] == cutValue && i > cutToken) { values[i] = -.infinity }
            }
            if let candidates { for i in candidates { cut(i) } } else { for i in values.indices { cut(i) } }
        }
    }

    /// The last token kept (by decreasing logit, then increasing id) and its logit: bucket the
    /// unmasked logits linearly, find the bucket where the mass from the top reaches `target`,
    /// sort only that bucket.
    private static func cutoff(_ values: UnsafeBufferPointer<Float>, _ probabilities: UnsafeBufferPointer<Float>,
                               ids: some Collection<Int>, target: Double,
                               mass: inout [Double], crossing: inout [(Float, Int)]) -> (Float, Int) {
        var low = Float.infinity, high = -Float.infinity
        for id in ids where values[id] != -.infinity {
            low = min(low, values[id])
            high = max(high, values[id])
        }
        let buckets = bucketCount
        let scale = high > low ? Float(buckets - 1) / (high - low) : 0
        mass.removeAll(keepingCapacity: true)
        mass.append(contentsOf: repeatElement(0, count: buckets))
        mass.withUnsafeMutableBufferPointer { mass in
            for id in ids where values[id] != -.infinity {
                mass[min(buckets - 1, Int((values[id] - low) * scale))] += Double(probabilities[id])
            }
        }
        var before = 0.0
        var cutBucket = 0
        for b in stride(from: buckets - 1, through: 0, by: -1) {
            if before + mass[b] >= target || b == 0 {
                cutBucket = b
                break
            }
            before += mass[b]
        }
        crossing.removeAll(keepingCapacity: true)
        for id in ids where values[id] != -.infinity && min(buckets - 1, Int((values[id] - low) * scale)) == cutBucket {
            crossing.append((values[id], id))
        }
        crossing.sort { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var cumulative = before
        for (value, id) in crossing {
            cumulative += Double(probabilities[id])
            if cumulative >= target { return (value, id) }
        }
        return crossing.last ?? (high, 0)
    }
}
