import Decoding
import Foundation

/// Adaptive weighted rejection sampling of one token (Lipkin, LeBrun, Vigly, Loula, MacIver,
/// Du, Eisner, Cotterell, Mansinghka, O'Donnell, Lew & Vieira, "Fast Controlled Generation from
/// Language Models with Adaptive Weighted Rejection Sampling", COLM 2025; the estimators follow
/// genlm-control's `AWRS` sampler).
///
/// Tokens are visited in a random order without replacement from `p` (the softmax of the
/// processed logits, pruned tokens left out), drawn lazily by Gumbel-top-k keys, and checked
/// with the caller's `accept` until one passes:
/// - **recursive**: with `R` the mass rejected before the accepted token `x`,
///   `q = p(x) / (1 − R)`, one more token `y` of the order is checked and
///   `Ẑ = (1 − R) · (q + (1 − q) · c(y))`;
/// - **geometric**: `maxAccepts` rounds simulate sampling with replacement, the re-draws of
///   removed tokens counted as geometric numbers of phantom rejections;
///   `Ẑ = min(k − 1, accepts) / (accepts + rejects − 1)`;
/// - **improper**: the first accepted token, no weight (locally constrained sampling).
///
/// `log ŵ = log Z_pruned + log Ẑ` is an unbiased estimate of `Z = Σₜ p(t) · c(t)`. When every
/// token with probability is rejected the draw is a dead end with `log ŵ = −∞`.
///
/// The sampler keeps its buffers between draws (no allocation once warm). Cost: one pass over
/// the vocabulary for the keys (two logarithms per token), plus the checks.
public struct AWRSSampler: Sendable {
    /// The validated options.
    public let options: AWRSOptions
    private var order = GumbelOrder()
    private var excluded: [Bool] = []
    private var rejected: [Int] = []
    private var acceptedCache: [Int] = []
    private var excludedForOrder: [Int] = []

    /// A sampler with `options`.
    ///
    /// - Throws: the errors of ``AWRSOptions/validate()``.
    public init(options: AWRSOptions = AWRSOptions()) throws(ConstrainedSamplingError) {
        try options.validate()
        self.options = options
    }

    /// Draws a token from `p(t) · c(t)` (renormalized) with its weight.
    ///
    /// - Parameters:
    ///   - logits: the processed row; masked tokens are never visited.
    ///   - pruned: tokens known never to be accepted (skipped without a check; their mass is
    ///     taken out of the weight).
    ///   - accept: the constraint check `c(t)`.
    /// - Returns: the token and `log ŵ`, or a dead end.
    public mutating func draw(from logits: Logits, pruned: [Int] = [], using rng: inout some RandomNumberGenerator,
                              accept: (Int) throws -> Bool) rethrows -> AWRSDraw {
        let logp = logits.logProbabilities
        if excluded.count != logp.count { excluded = [Bool](repeating: false, count: logp.count) }
        rejected.removeAll(keepingCapacity: true)
        acceptedCache.removeAll(keepingCapacity: true)
        var prunedMass = 0.0
        for token in pruned where !excluded[token] {
            excluded[token] = true
            if logp[token] != -.infinity { prunedMass += exp(Double(logp[token])) }
        }
        defer {
            for token in pruned { excluded[token] = false }
            for token in rejected { excluded[token] = false }
        }
        let logZ = prunedMass < 0.5 ? log1p(-prunedMass) : log(mass(logp, logZ: 0))
        guard logZ > -.infinity else { return AWRSDraw(token: nil, logWeight: -.infinity, checks: 0, rejections: 0) }

        let mode: AWRSMode
        switch options.mode {
        case .automatic:
            let top = logits.argmax
            let topP = excluded[top] ? 0 : exp(Double(logp[top]) - logZ)
            mode = options.maxAccepts > 2 || topP >= options.geometricThreshold ? .geometric : .recursive
        default:
            mode = options.mode
        }
        excludedForOrder.removeAll(keepingCapacity: true)
        excludedForOrder.append(contentsOf: pruned)
        order.reset(logProbabilities: logp, excluded: excludedForOrder, using: &rng)
        if mode == .geometric {
            return try geometric(logp: logp, logZ: logZ, using: &rng, accept: accept)
        }
        return try walk(logp: logp, logZ: logZ, weighted: mode == .recursive, accept: accept)
    }

    /// `Σ exp(logp − logZ)` over the tokens not excluded: the mass not yet rejected, summed
    /// afresh so it keeps its relative precision when it is tiny.
    private func mass(_ logp: [Float], logZ: Double) -> Double {
        var sum = 0.0
        logp.withUnsafeBufferPointer { logp in
            excluded.withUnsafeBufferPointer { excluded in
                for i in 0..<logp.count where !excluded[i] && logp[i] != -.infinity {
                    sum += exp(Double(logp[i]) - logZ)
                }
            }
        }
        return sum
    }

    /// Lowers `remaining` by `p`, summing it afresh when cancellation would make it imprecise.
    private func subtract(_ p: Double, from remaining: inout Double, base: inout Double, logp: [Float], logZ: Double) {
        remaining -= p
        if remaining < 1e-4 * base {
            remaining = mass(logp, logZ: logZ)
            base = remaining
        }
    }

    /// The recursive estimator (or, unweighted, the improper walk).
    private mutating func walk(logp: [Float], logZ: Double, weighted: Bool, accept: (Int) throws -> Bool) rethrows -> AWRSDraw {
        var remaining = 1.0   // 1 − R
        var base = 1.0
        var checks = 0
        var index = 0
        while let x = order.token(at: index) {
            let px = exp(Double(logp[x]) - logZ)
            let next = order.token(at: index + 1)
            checks += 1
            if try accept(x) {
                guard weighted else {
                    return AWRSDraw(token: x, logWeight: 0, checks: checks, rejections: rejected.count)
                }
                guard let y = next else {
                    // Only x was left: Ẑ = (1 − R) = p(x).
                    return AWRSDraw(token: x, logWeight: logZ + log(px), checks: checks, rejections: rejected.count)
                }
                let q = min(1, px / remaining)
                checks += 1
                let estimate = try accept(y) ? remaining : remaining * q
                return AWRSDraw(token: x, logWeight: logZ + log(estimate), checks: checks, rejections: rejected.count)
            }
            rejected.append(x)
            excluded[x] = true
            subtract(px, from: &remaining, base: &base, logp: logp, logZ: logZ)
            index += 1
        }
        return AWRSDraw(token: nil, logWeight: -.infinity, checks: checks, rejections: rejected.count)
    }

    /// The geometric estimator: `maxAccepts` rounds of sampling with replacement, simulated
    /// without replacement plus geometric phantom re-draws of the removed tokens.
    private mutating func geometric(logp: [Float], logZ: Double, using rng: inout some RandomNumberGenerator,
                                    accept: (Int) throws -> Bool) rethrows -> AWRSDraw {
        var remaining = 1.0
        var base = 1.0
        var accepts = 0
        var rejects = 0.0     // real and phantom rejections (phantoms can be many)
        var checks = 0
        var result: Int?
        var removed = 0   // rejected tokens already left out of the order
        for round in 0..<options.maxAccepts {
            if round > 0 {
                excludedForOrder.append(contentsOf: rejected[removed...])
                removed = rejected.count
                order.reset(logProbabilities: logp, excluded: excludedForOrder, using: &rng)
            }
            var index = 0
            var acceptedThisRound = false
            while let x = order.token(at: index) {
                if remaining < 1 {
                    // Draws with replacement of already-removed tokens before this one.
                    let u = 1 - rng.nextUnitInterval()          // (0, 1]
                    rejects += (log(u) / log1p(-remaining)).rounded(.down)
                }
                let ok: Bool
                if acceptedCache.contains(x) {
                    ok = true
                } else {
                    checks += 1
                    ok = try accept(x)
                    if ok { acceptedCache.append(x) }
                }
                if ok {
                    accepts += 1
                    if result == nil { result = x }
                    acceptedThisRound = true
                    break
                }
                rejects += 1
                rejected.append(x)
                excluded[x] = true
                subtract(exp(Double(logp[x]) - logZ), from: &remaining, base: &base, logp: logp, logZ: logZ)
                index += 1
            }
            if !acceptedThisRound { break }   // every remaining token was rejected
        }
        guard let token = result else {
            return AWRSDraw(token: nil, logWeight: -.infinity, checks: checks, rejections: rejected.count)
        }
        let estimate = Double(min(options.maxAccepts - 1, accepts)) / (Double(accepts) + rejects - 1)
        return AWRSDraw(token: token, logWeight: logZ + log(estimate), checks: checks, rejections: rejected.count)
    }
}
