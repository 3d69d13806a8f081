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
/// **Confidence.** One earlier occurrence makes `q = 1`, which on open-ended text is rarely
/// right. The drafter therefore grades itself: for every token appended to a context it already
/// follows, it checks whether that token was in the support it would have proposed, and keeps the
/// hit rate per longest matched order `N`. A distribution's ``DraftDistribution/confidence`` is
/// that rate with a prior of ``priorConfidence`` worth one observation,
/// `(hits_N + prior) / (trials_N + 1)`, so DySpec's values (products of confidence × `q`) predict
/// acceptance honestly: copied text (long matches that keep hitting) keeps values near 1, chat
/// (short matches that miss) drives them down before any tree is drafted. It uses only tokens
/// already generated, so it shapes trees but never the output distribution.
///
/// - Complexity: each query scans the earlier occurrences of the suffix's last token (an index
///   kept incrementally as the context grows), O(occurrences × maximumOrder); grading an appended
///   token costs one such scan.
public final class NGramDrafter: Drafter {
    /// Shortest suffix that counts as a match.
    public let minimumOrder: Int
    /// Longest suffix tried.
    public let maximumOrder: Int
    /// Weight ratio between successive orders (`0 < λ ≤ 1`).
    public let backoff: Double
    /// The largest order a drafter accepts.
    public static let orderLimit = 64
    /// The confidence assumed for an order before any token was graded there (worth one
    /// observation).
    public static let priorConfidence = 0.5

    private var context: [Int] = []
    private var positions: [Int: [Int]] = [:]
    private var meter = CostMeter()
    /// Graded tokens and hits per longest matched order (index `order − minimumOrder`).
    private var trials: [Int]
    private var hits: [Int]

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
        trials = Array(repeating: 0, count: maximumOrder - minimumOrder + 1)
        hits = trials
    }

    /// Follows the context; appending to the previous context extends the index incrementally
    /// and grades the drafter on the appended tokens (see ``confidence(matchedOrder:)``). A
    /// context that does not extend the previous one (the first, or another sequence) rebuilds
    /// the index without grading.
    public func synchronize(context newContext: [Int]) throws {
        let extends = !context.isEmpty && newContext.count >= context.count && newContext.starts(with: context)
        let known = extends ? context.count : 0
        if !extends { positions = [:] }
        for index in known..<newContext.count {
            positions[newContext[index], default: []].append(index)
        }
        context = newContext
        guard extends else { return }
        for index in known..<newContext.count { grade(index) }
    }

    /// The confidence given to distributions whose longest matched order is `order`: the share of
    /// graded tokens after such a match that were in the proposed support, with the prior
    /// ``priorConfidence`` counted as one observation.
    public func confidence(matchedOrder order: Int) -> Double {
        guard order >= minimumOrder else { return 0 }
        let i = min(order, maximumOrder) - minimumOrder
        return (Double(hits[i]) + Self.priorConfidence) / (Double(trials[i]) + 1)
    }

    /// The interpolated continuation distribution after `context + path` for every path.
    public func draftDistributions(after paths: [[Int]]) throws -> [DraftDistribution] {
        let start = ContinuousClock.now
        let result = try paths.map { try distribution(after: $0) }
        meter.record(ContinuousClock.now - start, units: paths.count)
        return result
    }

    /// Records whether `context[index]` was in the support proposed after `context[..<index]`.
    private func grade(_ index: Int) {
        var longest = 0
        var hit = false
        let actual = context[index]
        forEachMatch(end: index, path: []) { length, next in
            longest = max(longest, length)
            if next == actual { hit = true }
        }
        guard longest >= minimumOrder else { return }
        trials[longest - minimumOrder] += 1
        if hit { hits[longest - minimumOrder] += 1 }
    }

    /// Calls `body(length, next)` for every earlier occurrence of a suffix of at least
    /// ``minimumOrder`` tokens of `context[..<end] + path` (`length` capped at ``maximumOrder``),
    /// with `next` the token that followed it, which lies before `end`.
    private func forEachMatch(end: Int, path: [Int], _ body: (_ length: Int, _ next: Int) -> Void) {
        let total = end + path.count
        guard total >= minimumOrder, total > 0 else { return }
        @inline(__always) func token(_ i: Int) -> Int { i < end ? context[i] : path[i - end] }
        let last = token(total - 1)
        for j in positions[last] ?? [] where j + 1 < end && j + 1 < total {
            var length = 1
            while length < maximumOrder, j - length >= 0, token(j - length) == token(total - 1 - length) {
                length += 1
            }
            if length >= minimumOrder { body(length, context[j + 1]) }
        }
    }

    private func distribution(after path: [Int]) throws -> DraftDistribution {
        // counts[n - minimumOrder][t]: continuations of matches of order n.
        var counts = [[Int: Int]](repeating: [:], count: maximumOrder - minimumOrder + 1)
        var longest = 0
        forEachMatch(end: context.count, path: path) { length, next in
            longest = max(longest, length)
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
        return try DraftDistribution(weights: weights).withConfidence(confidence(matchedOrder: longest))
    }
}
