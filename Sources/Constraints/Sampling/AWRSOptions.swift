/// How AWRS turns rejection sampling into a weight.
public enum AWRSMode: String, Sendable, Hashable, CaseIterable {
    /// Recursive AWRS (one extra check after the first accept), switching to ``geometric``
    /// when the top token has probability ≥ ``AWRSOptions/geometricThreshold`` or more than
    /// two accepts are asked for: the reference behaviour of genlm-control's `AWRS`.
    case automatic
    /// Always the recursive estimator.
    case recursive
    /// Always the geometric (with-replacement simulation) estimator.
    case geometric
    /// The first accepted token with no weight: exactly locally constrained sampling
    /// (`p(t) · c(t)` renormalized), drawn lazily.
    case improper
}

/// Options of adaptive weighted rejection sampling (Lipkin et al., "Fast Controlled Generation
/// from Language Models with Adaptive Weighted Rejection Sampling", COLM 2025), validated by
/// ``validate()``.
///
/// ```swift
/// var options = AWRSOptions()
/// options.mode = .improper          // plain locally constrained sampling, lazily
/// try options.validate()
/// ```
public struct AWRSOptions: Sendable, Hashable {
    /// The estimator.
    public var mode: AWRSMode
    /// Accepted draws the geometric estimator collects (≥ 2; more lowers the weight's variance
    /// and costs more checks).
    public var maxAccepts: Int
    /// Top-token probability from which ``AWRSMode/automatic`` uses the geometric estimator
    /// (in `(0, 1]`; 2/3 as in the reference: above it the geometric run needs fewer checks).
    public var geometricThreshold: Double
    /// Whether tokens that can never be accepted (no bytes and not a stop token) are left out
    /// of the draw before it starts, so they cost no check.
    public var prune: Bool
    /// Checks one draw makes token by token before it computes the full mask of allowed tokens
    /// once and answers the rest from it (nil: never). The answers are the same, so the draw's
    /// distribution and weight do not change; a step then costs at most this many checks plus
    /// one mask, the cost of locally constrained decoding.
    public var maskAfterChecks: Int?

    /// Options with the reference defaults: automatic mode, 2 accepts, threshold 2/3, pruning
    /// on; a full mask after 64 checks.
    public init(mode: AWRSMode = .automatic, maxAccepts: Int = 2, geometricThreshold: Double = 2.0 / 3.0,
                prune: Bool = true, maskAfterChecks: Int? = 64) {
        self.mode = mode
        self.maxAccepts = maxAccepts
        self.geometricThreshold = geometricThreshold
        self.prune = prune
        self.maskAfterChecks = maskAfterChecks
    }

    /// Checks every option.
    ///
    /// - Throws: ``ConstrainedSamplingError/invalidMaxAccepts(_:)``,
    ///   ``ConstrainedSamplingError/invalidGeometricThreshold(_:)``,
    ///   ``ConstrainedSamplingError/invalidMaskAfterChecks(_:)``.
    public func validate() throws(ConstrainedSamplingError) {
        guard maxAccepts >= 2 else { throw .invalidMaxAccepts(maxAccepts) }
        if let maskAfterChecks, maskAfterChecks < 0 { throw .invalidMaskAfterChecks(maskAfterChecks) }
        guard geometricThreshold > 0 && geometricThreshold <= 1 else {
            throw .invalidGeometricThreshold(geometricThreshold)
        }
    }
}
