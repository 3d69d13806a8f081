/// The outcome of one AWRS draw: a token with the log of its importance weight, or a dead end.
///
/// The weight estimates, without bias, the mass `Z = Σₜ p(t) · c(t)` of the allowed tokens
/// under the sampling distribution `p` (the processed logits), so sequences built from such
/// draws with their weights multiplied are properly weighted for `p(y) · c(y)`.
public struct AWRSDraw: Sendable, Hashable {
    /// The accepted token; `nil` at a dead end (every token with probability was rejected).
    public var token: Int?
    /// `log ŵ`: `-infinity` at a dead end; `0` in ``AWRSMode/improper`` mode (no weight).
    public var logWeight: Double
    /// Calls into the constraint (each token checked once; a cached accept is not recounted).
    public var checks: Int
    /// Tokens rejected.
    public var rejections: Int

    /// A draw result.
    public init(token: Int?, logWeight: Double, checks: Int, rejections: Int) {
        self.token = token
        self.logWeight = logWeight
        self.checks = checks
        self.rejections = rejections
    }

    /// Whether no token could be accepted.
    public var isDeadEnd: Bool { token == nil }
}

/// Constraint work summed over AWRS draws.
public struct AWRSStatistics: Sendable, Hashable {
    /// Draws made.
    public var draws: Int
    /// Constraint checks.
    public var checks: Int
    /// Rejected tokens.
    public var rejections: Int
    /// Draws that ended at a dead end.
    public var deadEnds: Int
    /// Sum of the log weights of the draws that were not dead ends.
    public var logWeight: Double
    /// Draws that computed the full mask after ``AWRSOptions/maskAfterChecks`` checks.
    public var fullMasks = 0
    /// Draws that found the mask after their state in the ``TokenConstraint``'s cache and drew
    /// from the allowed tokens only.
    public var cachedMasks = 0

    /// Statistics with the given counts.
    public init(draws: Int = 0, checks: Int = 0, rejections: Int = 0, deadEnds: Int = 0, logWeight: Double = 0) {
        self.draws = draws
        self.checks = checks
        self.rejections = rejections
        self.deadEnds = deadEnds
        self.logWeight = logWeight
    }

    /// Adds one draw.
    public mutating func record(_ draw: AWRSDraw) {
        draws += 1
        checks += draw.checks
        rejections += draw.rejections
        if draw.isDeadEnd { deadEnds += 1 } else { logWeight += draw.logWeight }
    }

    /// Adds `other`'s counts.
    public static func += (lhs: inout AWRSStatistics, rhs: AWRSStatistics) {
        lhs.draws += rhs.draws
        lhs.checks += rhs.checks
        lhs.rejections += rhs.rejections
        lhs.deadEnds += rhs.deadEnds
        lhs.logWeight += rhs.logWeight
        lhs.fullMasks += rhs.fullMasks
        lhs.cachedMasks += rhs.cachedMasks
    }
}
