import Foundation

/// The derived views of one ``Logits`` row, filled on first use.
///
/// A class so that a non-mutating getter can fill it (the row itself is immutable between
/// mutations, so the cached views stay valid); guarded by a lock because `Logits` is
/// `Sendable` and two tasks may read the same copy. Cleared in place on mutation when uniquely
/// referenced, so a processor chain does not allocate a new cache per stage.
final class LogitsCache: @unchecked Sendable {
    let lock = NSLock()
    var argmax: Int?
    var logSumExp: Double?
    var probabilities: [Float] = []
    var hasProbabilities = false
    var logProbabilities: [Float] = []
    var hasLogProbabilities = false
    var entropy: Double?
    var supportCount: Int?
    /// Token ids by decreasing logit (ties: lower id first).
    var topTokens: [Int] = []
    /// Ascending ids that include every unmasked token (set after a truncation to few tokens),
    /// so later passes cost O(candidates) instead of O(vocabulary).
    var candidates: [Int]?

    init() {}

    func clear(keepingCandidates: Bool = false) {
        lock.lock()
        defer { lock.unlock() }
        if !keepingCandidates { candidates = nil }
        argmax = nil
        logSumExp = nil
        hasProbabilities = false
        hasLogProbabilities = false
        entropy = nil
        supportCount = nil
        topTokens.removeAll(keepingCapacity: true)
    }

    func withLock<R>(_ body: (LogitsCache) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(self)
    }
}
