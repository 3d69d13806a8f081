import Foundation
/// A normalized probability distribution over token ids, stored sparsely: the tokens with
/// positive probability in increasing id order, and their probabilities.
///
/// Drafters return one per expanded tree position: the distribution `q` the children of that
/// position are drawn from. Verification looks `q(c)` up by binary search, so a dense row over a
/// 49 152-token vocabulary and a count-based n-gram distribution over three tokens cost the same
/// code path.
///
/// A drafter may also say how much it trusts the distribution (``confidence``): its estimate of the
/// chance that the target's next token lies in the support at all. It only scales DySpec's node
/// values (which trees are worth drafting); children are drawn from, and verified against, the
/// probabilities alone, so any confidence keeps decoding lossless.
public struct DraftDistribution: Sendable, Hashable {
    /// Token ids with positive probability, strictly increasing.
    public let tokens: [Int]
    /// `probabilities[i]` is the probability of `tokens[i]`; they sum to 1 (or the support is empty).
    public let probabilities: [Double]
    /// The largest probability (0 for an empty distribution).
    public let maximum: Double
    /// The drafter's estimate, in `0...1`, that the target's next token is in the support (1: the
    /// distribution is taken at its word). Scales node values only, never draws or verification.
    public private(set) var confidence: Double = 1

    /// The empty distribution: the drafter has nothing to propose here.
    public static let empty = DraftDistribution(uncheckedTokens: [], probabilities: [])

    /// Builds a distribution from a dense row of non-negative weights (index = token id),
    /// dropping zero entries and normalizing.
    ///
    /// - Throws: ``SpeculativeError/degenerateDistribution(where:)`` when a weight is negative,
    ///   NaN or infinite; an all-zero row gives ``empty``.
    /// - Complexity: O(n) in the row length.
    public init(dense weights: [Double]) throws {
        var tokens: [Int] = []
        var values: [Double] = []
        var total = 0.0
        for (token, w) in weights.enumerated() {
            guard w.isFinite, w >= 0 else {
                throw SpeculativeError.degenerateDistribution(where: "draft weight \(w) at token \(token)")
            }
            if w > 0 {
                tokens.append(token)
                values.append(w)
                total += w
            }
        }
        self.init(uncheckedTokens: tokens, probabilities: values.map { $0 / max(total, .leastNormalMagnitude) })
    }

    /// Builds a distribution from `(token, weight)` pairs in any order (weights need not sum to 1);
    /// repeated tokens add up, zero weights are dropped.
    ///
    /// - Throws: ``SpeculativeError/degenerateDistribution(where:)`` for a negative, NaN or
    ///   infinite weight, ``SpeculativeError/tokenOutOfRange(_:vocabularySize:)`` for a negative token.
    public init(weights: [(token: Int, weight: Double)]) throws {
        var merged: [Int: Double] = [:]
        for (token, w) in weights {
            guard w.isFinite, w >= 0 else {
                throw SpeculativeError.degenerateDistribution(where: "draft weight \(w) at token \(token)")
            }
            guard token >= 0 else { throw SpeculativeError.tokenOutOfRange(token, vocabularySize: Int.max) }
            if w > 0 { merged[token, default: 0] += w }
        }
        let tokens = merged.keys.sorted()
        let total = tokens.reduce(0.0) { $0 + merged[$1, default: 0] }
        self.init(uncheckedTokens: tokens, probabilities: tokens.map { merged[$0, default: 0] / total })
    }

    /// The entropy `−Σ p log p` in nats (0 for the empty distribution).
    public var entropy: Double {
        probabilities.reduce(0) { $0 - ($1 > 0 ? $1 * log($1) : 0) }
    }

    /// The same distribution with ``confidence`` set to `confidence`.
    ///
    /// - Throws: ``SpeculativeError/invalidParameter(name:value:)`` outside `0...1` (or NaN).
    public func withConfidence(_ confidence: Double) throws -> DraftDistribution {
        guard (0...1).contains(confidence) else { throw SpeculativeError.invalidParameter(name: "confidence", value: confidence) }
        var copy = self
        copy.confidence = confidence
        return copy
    }

    init(uncheckedTokens tokens: [Int], probabilities: [Double]) {
        self.tokens = tokens
        self.probabilities = probabilities
        self.maximum = probabilities.max() ?? 0
    }

    /// Whether the distribution has no support.
    public var isEmpty: Bool { tokens.isEmpty }

    /// The position of `token` in ``tokens``, or nil when its probability is zero.
    /// - Complexity: O(log n).
    public func index(of token: Int) -> Int? {
        var low = 0
        var high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if tokens[mid] < token { low = mid + 1 } else { high = mid }
        }
        return low < tokens.count && tokens[low] == token ? low : nil
    }

    /// The probability of `token` (0 outside the support).
    /// - Complexity: O(log n).
    public func probability(of token: Int) -> Double {
        index(of: token).map { probabilities[$0] } ?? 0
    }
}
