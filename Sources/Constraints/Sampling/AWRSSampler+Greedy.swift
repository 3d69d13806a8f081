import Decoding

extension AWRSSampler {
    /// Greedy decoding under a constraint: the most likely token of `logits` that `accept`
    /// allows. Tokens are checked in descending order of logit (ties by lower id, as
    /// ``Logits/argmax``) until one passes, so the result is the argmax of the locally
    /// constrained distribution `p(t) · c(t)` — what a full mask followed by argmax gives
    /// (``LocallyConstrainedStrategy`` at temperature 0), at the cost of the checks the walk
    /// makes. The draw carries no weight (`log ŵ = 0`, as ``AWRSMode/improper``); when every
    /// token is rejected it is a dead end.
    ///
    /// - Parameters:
    ///   - logits: the processed row *before* any stage that keeps only its argmax
    ///     (``LogitProcessorChain/applyRanking(to:history:)``).
    ///   - pruned: tokens known never to be accepted (skipped without a check).
    ///   - accept: the constraint check `c(t)`.
    /// - Complexity: O(n) for the first candidate and each of the next few, O(n log n) once if
    ///   more are rejected; no allocation once warm.
    public mutating func greedy(from logits: Logits, pruned: [Int] = [], accept: (Int) throws -> Bool) rethrows -> AWRSDraw {
        if isPruned.count != logits.count { isPruned = Array(repeating: false, count: logits.count) }
        for token in pruned where token >= 0 && token < logits.count { isPruned[token] = true }
        defer { for token in pruned where token >= 0 && token < logits.count { isPruned[token] = false } }
        ranked.removeAll(keepingCapacity: true)
        logits.forEachUnmasked { token, value in
            if !isPruned[token] { ranked.append((value, token)) }
        }
        func precedes(_ a: (logit: Float, token: Int), _ b: (logit: Float, token: Int)) -> Bool {
            a.logit > b.logit || (a.logit == b.logit && a.token < b.token)
        }
        // Selection scans for the first few candidates (usually one suffices), then one sort.
        let scans = 8
        var checks = 0
        for position in ranked.indices {
            if position < scans {
                var best = position
                for i in (position + 1)..<ranked.count where precedes(ranked[i], ranked[best]) { best = i }
                ranked.swapAt(position, best)
            } else if position == scans {
                ranked[position...].sort(by: precedes)
            }
            let token = ranked[position].token
            checks += 1
            if try accept(token) {
                return AWRSDraw(token: token, logWeight: 0, checks: checks, rejections: checks - 1)
            }
        }
        return AWRSDraw(token: nil, logWeight: -.infinity, checks: checks, rejections: checks)
    }
}
