import Decoding

/// How SMC picks the particles that survive a resampling step. All three are unbiased: the
/// expected number of copies of particle `i` is `N · Wᵢ` (Douc, Cappé & Moulines, "Comparison
/// of resampling schemes for particle filtering", 2005); stratified and systematic have lower
/// variance than multinomial.
public enum ResamplingScheme: String, Sendable, Hashable, CaseIterable {
    /// `N` independent draws from the weights.
    case multinomial
    /// One uniform draw in each of the `N` strata `[k/N, (k+1)/N)`.
    case stratified
    /// One uniform `u`, then the points `(u + k)/N`.
    case systematic

    /// The scheme named `name` (case-insensitive: `multinomial`, `stratified`, `systematic`), as
    /// a command-line option gives it.
    ///
    /// - Throws: ``ConstrainedSamplingError/unknownResamplingScheme(_:valid:)``.
    public static func named(_ name: String) throws(ConstrainedSamplingError) -> ResamplingScheme {
        guard let scheme = ResamplingScheme(rawValue: name.lowercased()) else {
            throw .unknownResamplingScheme(name, valid: allCases.map(\.rawValue))
        }
        return scheme
    }

    /// Indices of `count` particles drawn according to `weights` (normalized, summing to 1
    /// up to rounding; zeros are never drawn), in increasing order.
    ///
    /// - Complexity: O(n + count) for stratified and systematic, O(n + count log count) for
    ///   multinomial.
    public func resample(weights: [Double], count: Int, using rng: inout some RandomNumberGenerator) -> [Int] {
        precondition(count > 0 && !weights.isEmpty, "resampling needs weights and a positive count")
        let total = weights.reduce(0, +)
        var points: [Double]
        switch self {
        case .multinomial:
            points = (0..<count).map { _ in rng.nextUnitInterval() * total }
            points.sort()
        case .stratified:
            points = (0..<count).map { k in (Double(k) + rng.nextUnitInterval()) / Double(count) * total }
        case .systematic:
            let u = rng.nextUnitInterval()
            points = (0..<count).map { k in (Double(k) + u) / Double(count) * total }
        }
        // Walk the cumulative weights once; the last particle with weight absorbs rounding.
        let last = weights.lastIndex(where: { $0 > 0 }) ?? weights.count - 1
        var indices: [Int] = []
        indices.reserveCapacity(count)
        var particle = 0
        var cumulative = weights[0]
        for point in points {
            while (point >= cumulative || weights[particle] == 0) && particle < last {
                particle += 1
                cumulative += weights[particle]
            }
            indices.append(particle)
        }
        return indices
    }
}
