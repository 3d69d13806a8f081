/// Masks a set of banned tokens (a blacklist).
public struct BannedTokensProcessor: LogitProcessor {
    /// The tokens that may not be sampled.
    public let banned: Set<Int>
    private let sorted: [Int]

    /// - Throws: ``SamplingError/invalidParameter(_:)`` for a negative id.
    public init(_ banned: Set<Int>) throws {
        if let bad = banned.first(where: { $0 < 0 }) {
            throw SamplingError.invalidParameter("banned token ids must be non-negative, got \(bad)")
        }
        self.banned = banned
        sorted = banned.sorted()
    }

    /// `banned`.
    public var name: String { "banned" }

    /// Masks the banned tokens. O(n) (to check that something is left).
    ///
    /// - Throws: ``SamplingError/tokenOutOfRange(_:vocabularySize:)``,
    ///   ``SamplingError/allTokensMasked`` if nothing would be left (logits unchanged).
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        guard !sorted.isEmpty else { return }
        try logits.ban(sorted)
    }
}
