import Foundation

/// The probability mass each evaluation of a ``RemoteLanguageModel`` could not see: `1 − Σ p`
/// over the returned top-k tokens. Zero means the row was the whole distribution.
///
/// A class shared by the model's sessions (guarded by a lock: sessions may run on several tasks).
public final class TruncationLog: @unchecked Sendable {
    private let lock = NSLock()
    private var masses: [Double] = []

    /// Every evaluation's missing mass, in order.
    public var missingMasses: [Double] { lock.withLock { masses } }

    /// The largest missing mass so far (0 before any evaluation).
    public var largestMissingMass: Double { lock.withLock { masses.max() ?? 0 } }

    func record(_ mass: Double) {
        lock.withLock { masses.append(mass) }
    }
}
