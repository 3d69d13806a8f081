/// Prompt-lookup / n-gram drafting with probabilities: match the longest recent suffix of the
/// context (prompt and generated text, plus the draft path) against earlier occurrences in the
/// context and turn the tokens that followed them into a distribution. No model calls.
///
/// For every order `n` from ``maximumOrder`` down to ``minimumOrder`` whose suffix occurs earlier,
/// let `c_n(t)` count the earlier occurrences followed by `t`. The draft distribution interpolates
/// the orders (smoothing toward shorter, better-attested matches):
///
///     q(t) ∝ Σ_n λ^(N − n) · c_n(t) / Σ_t' c_n(t')
///
/// with `N` the longest matched order and `λ` = ``backoff``. With no match at all, `q` is empty
/// and the tree stops there. This generalizes llama.cpp's prompt lookup (which takes the single
/// continuation of the longest match) to a distribution, so it can propose several children and
/// be verified losslessly at any temperature.
///
/// - Complexity: each query scans the earlier occurrences of the suffix's last token (an index
///   kept incrementally as the context grows), O(occurrences × maximumOrder).
public final class NGramDrafter: Drafter {
    /// Shortest suffix that counts as a match.
    public let minimumOrder: Int
    /// Longest suffix tried.
    public let maximumOrder: Int
    /// Weight ratio between successive orders (`0 < λ ≤ 1`).
    public let backoff: Double
    /// The largest order a drafter accepts.
    public static let orderLimit = 64

    private var context: [Int] = []
    private var positions: [Int: [Int]] = [:]
    private var meter = CostMeter()

    /// Works with any vocabulary.
    public var vocabularySize: Int? { nil }

    /// Measured seconds per drafted position (CPU only; no model calls).
    public var costPerDraftToken: Double { meter.secondsPerUnit }

    /// Creates a drafter matching suffixes of `minimumOrder...maximumOrder` tokens.
    ///
    /// - Throws: ``SpeculativeError/invalidNGramOrder(minimum:maximum:limit:)`` unless
    ///   `1 <= minimumOrder <= maximumOrder <= 64`; ``SpeculativeError/invalidParameter(name:value:)``
    ///   unless `0 < backoff <= 1`.
    public init(minimumOrder: Int = 1, maximumOrder: Int = 4, backoff: Double = 0.3) throws {
        guard minimumOrder >= 1, minimumOrder <= maximumOrder, maximumOrder <= Self.orderLimit else {
            throw SpeculativeError.invalidNGramOrder(minimum: minimumOrder, maximum: maximumOrder, limit: Self.orderLimit)
        }
        guard backoff > 0, backoff <= 1 else { throw SpeculativeError.invalidParameter(name: "backoff", value: backoff) }
        self.minimumOrder = minimumOrder
        self.maximumOrder = maximumOrder
        self.backoff = backoff
    }

    /// Follows the context; appending to the previous context extends the index incrementally.
    public func synchronize(context newContext: [Int]) throws {
        let extends = newContext.count >= context.count && newContext.starts(with: context)
        if !extends {
            context = []
            positions = [:]
        }
        for index in context.count..<newContext.count {
            positions[newContext[index], default: []].append(index)
        }
        context = newContext
    }

    /// The interpolated continuation distribution after `context + path` for every path.
    public func draftDistributions(after paths: [[Int]]) throws -> [DraftDistribution] {
        let start = ContinuousClock.now
        let result = try paths.map { try distribution(after: $0) }
        meter.record(ContinuousClock.now - start, units: paths.count)
        return result
    }

    private func distribution(after path: [Int]) throws -> DraftDistribution {
        let total = context.count + path.count
        guard total >= minimumOrder else { return .empty }
        @inline(__always) func token(_ i: Int) -> Int { i < context.count ? context[i] : path[i - context.count] }
        let last = token(total - 1)
        // counts[n - minimumOrder][t]: continuations of matches of order n.
        var counts = [[Int: Int]](repeating: [:], count: maximumOrder - minimumOrder + 1)
        var longest = 0
        for j in positions[last] ?? [] where j + 1 < context.count && j + 1 < total {
            var length = 1
            while length < maximumOrder, j - length >= 0, token(j - length) == token(total - 1 - length) {
                length += 1
            }
            guard length >= minimumOrder else { continue }
            longest = max(longest, length)
            let next = context[j + 1]
            for n in minimumOrder...length { counts[n - minimumOrder][next, default: 0] += 1 }
        }
        guard longest >= minimumOrder else { return .empty }
        var weights: [(token: Int, weight: Double)] = []
        var weight = 1.0
        for n in stride(from: longest, through: minimumOrder, by: -1) {
            let level = counts[n - minimumOrder]
            let sum = Double(level.values.reduce(0, +))
            for (t, c) in level { weights.append((t, weight * Double(c) / sum)) }
            weight *= backoff
        }
        return try DraftDistribution(weights: weights)
    }
}
