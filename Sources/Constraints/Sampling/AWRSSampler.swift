import Decoding
import Foundation

/// Adaptive weighted rejection sampling of one token (Lipkin, LeBrun, Vigly, Loula, MacIver,
/// Du, Eisner, Cotterell, Mansinghka, O'Donnell, Lew & Vieira, "Fast Controlled Generation from
/// Language Models with Adaptive Weighted Rejection Sampling", COLM 2025; the estimators follow
/// genlm-control's `AWRS` sampler).
///
/// Tokens are visited in a random order without replacement from `p` (the softmax of the
/// processed logits, pruned tokens left out), drawn lazily one at a time by inverse CDF over
/// block sums of the remaining mass (``LazyTokenDraw``: the law of a Gumbel-top-k order without
/// a key per token), and checked with the caller's `accept` until one passes:
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
/// The sampler keeps its buffers between draws (no allocation once warm). Cost: the row's
/// probabilities (the pass plain sampling makes too, cached by ``Logits``) and one summing pass
/// over them, then O(n / 256 + 256) per visited token, plus the checks.
public struct AWRSSampler: Sendable {
    /// The validated options.
    public let options: AWRSOptions
    private var order = LazyTokenDraw()
    private var acceptedCache: [Int] = []
    /// Whether the current draw dropped every token outside the acceptor's mask.
    private var restricted = false
    /// The unmasked tokens by logit, for ``greedy(from:pruned:accept:)`` (kept between draws).
    var ranked: [(logit: Float, token: Int)] = []
    /// Tokens left out of the greedy walk, by id (kept between draws).
    var isPruned: [Bool] = []

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
    /// - Complexity: O(n) once, then O(n / 256 + 256) per visited token; no allocation once warm.
    public mutating func draw<Failure: Error>(from logits: Logits, pruned: [Int] = [],
                                              using rng: inout some RandomNumberGenerator,
                                              accept: (Int) throws(Failure) -> Bool) throws(Failure) -> AWRSDraw {
        try withoutActuallyEscaping(accept) { (body) throws(Failure) -> AWRSDraw in
            var acceptor = ClosureAcceptor(body: body)
            return try draw(from: logits, pruned: pruned, using: &rng, acceptor: &acceptor)
        }
    }

    /// ``draw(from:pruned:using:accept:)`` with an acceptor that may come to know the whole
    /// mask of allowed tokens (``DrawAcceptor/knownMask``): from then on every disallowed token
    /// is dropped from the draw at once instead of being visited and rejected one by one. A
    /// rejected token never comes back, so dropping all of them early changes neither which
    /// token is accepted (its law is `p(t) · c(t)` renormalized either way) nor the weight's
    /// expectation; the recursive estimator's weight becomes the exact mass `Z`, and the
    /// geometric estimator counts the dropped tokens' re-draws as phantom rejections, as it
    /// does for tokens it rejected itself.
    package mutating func draw<A: DrawAcceptor>(from logits: Logits, pruned: [Int] = [], using rng: inout some RandomNumberGenerator,
                                        acceptor: inout A) throws(A.Failure) -> AWRSDraw {
        order.reset(logits)
        defer { order.release() }
        acceptedCache.removeAll(keepingCapacity: true)
        order.remove(contentsOf: pruned)
        let unpruned = order.remainingMass
        restricted = false
        let mode: AWRSMode
        switch options.mode {
        case .automatic:
            let top = logits.argmax
            let topP = unpruned <= 0 || order.isRemoved(top) ? 0 : order.probability(of: top) / unpruned
            mode = options.maxAccepts > 2 || topP >= options.geometricThreshold ? .geometric : .recursive
        default:
            mode = options.mode
        }
        restrictIfKnown(&acceptor)
        if mode == .geometric {
            return try geometric(unpruned: unpruned, using: &rng, acceptor: &acceptor)
        }
        return try walk(weighted: mode == .recursive, using: &rng, acceptor: &acceptor)
    }

    /// Drops every token outside the acceptor's mask from the draw, once, when the mask is known.
    private mutating func restrictIfKnown(_ acceptor: inout some DrawAcceptor) {
        guard !restricted, let mask = acceptor.knownMask else { return }
        order.restrict(to: mask)
        restricted = true
    }

    /// The recursive estimator (or, unweighted, the improper walk). Masses are probabilities of
    /// the full row, so `Ẑ` estimates `Z` directly.
    private mutating func walk<A: DrawAcceptor>(weighted: Bool, using rng: inout some RandomNumberGenerator,
                                                acceptor: inout A) throws(A.Failure) -> AWRSDraw {
        var checks = 0
        var rejections = 0
        while let x = order.next(using: &rng) {
            let remaining = order.remainingMass   // 1 − R (times the unpruned mass), x included
            let px = order.probability(of: x)
            checks += 1
            if try acceptor.accept(x) {
                guard weighted else {
                    return AWRSDraw(token: x, logWeight: 0, checks: checks, rejections: rejections)
                }
                order.remove(x)
                guard let y = order.next(using: &rng) else {
                    // Only x was left: Ẑ = (1 − R) = p(x).
                    return AWRSDraw(token: x, logWeight: log(px), checks: checks, rejections: rejections)
                }
                let q = min(1, px / remaining)
                checks += 1
                let estimate = try acceptor.accept(y) ? remaining : remaining * q
                return AWRSDraw(token: x, logWeight: log(estimate), checks: checks, rejections: rejections)
            }
            rejections += 1
            order.remove(x)
            restrictIfKnown(&acceptor)
        }
        return AWRSDraw(token: nil, logWeight: -.infinity, checks: checks, rejections: rejections)
    }

    /// The geometric estimator: `maxAccepts` rounds of sampling with replacement, simulated
    /// without replacement (a rejected token is removed, an accepted one put back for the next
    /// round) plus geometric phantom re-draws of the removed tokens.
    private mutating func geometric<A: DrawAcceptor>(unpruned: Double, using rng: inout some RandomNumberGenerator,
                                                     acceptor: inout A) throws(A.Failure) -> AWRSDraw {
        var accepts = 0
        var rejections = 0
        var rejects = 0.0     // real and phantom rejections (phantoms can be many)
        var checks = 0
        var result: Int?
        rounds: for _ in 0..<options.maxAccepts {
            while let x = order.next(using: &rng) {
                if rejections > 0 || restricted {
                    // Draws with replacement of already-removed tokens before this one: a
                    // geometric count with failure probability R = 1 − remaining (relative to
                    // the unpruned mass; log R as log1p(−remaining), precise when R is near 1).
                    let remaining = min(1, order.remainingMass / unpruned)
                    let u = 1 - rng.nextUnitInterval()          // (0, 1]
                    rejects += (log(u) / log1p(-remaining)).rounded(.down)
                }
                let ok: Bool
                if acceptedCache.contains(x) {
                    ok = true
                } else {
                    checks += 1
                    ok = try acceptor.accept(x)
                    if ok { acceptedCache.append(x) }
                }
                if ok {
                    accepts += 1
                    if result == nil { result = x }
                    continue rounds
                }
                rejects += 1
                rejections += 1
                order.remove(x)
                restrictIfKnown(&acceptor)
            }
            break   // every remaining token was rejected
        }
        guard let token = result else {
            return AWRSDraw(token: nil, logWeight: -.infinity, checks: checks, rejections: rejections)
        }
        let estimate = Double(min(options.maxAccepts - 1, accepts)) / (Double(accepts) + rejects - 1)
        return AWRSDraw(token: token, logWeight: log(unpruned) + log(estimate), checks: checks, rejections: rejections)
    }
}

/// The constraint check of an AWRS draw, which may come to know the whole mask of allowed
/// tokens (then the sampler drops every other token at once).
package protocol DrawAcceptor {
    /// What a check throws.
    associatedtype Failure: Error
    /// `c(token)`.
    mutating func accept(_ token: Int) throws(Failure) -> Bool
    /// Every allowed token, once known (its answers must agree with ``accept(_:)``).
    var knownMask: TokenMask? { get }
}

/// A closure check that never knows the mask.
private struct ClosureAcceptor<Failure: Error>: DrawAcceptor {
    let body: (Int) throws(Failure) -> Bool
    func accept(_ token: Int) throws(Failure) -> Bool { try body(token) }
    var knownMask: TokenMask? { nil }
}
