/// Masks every token outside an allowed set (a whitelist, as a constraint's token mask).
public struct AllowedTokensProcessor: LogitProcessor {
    /// The tokens that may be sampled.
    public let allowed: Set<Int>
    private let sorted: [Int]

    /// - Throws: ``SamplingError/invalidParameter(_:)`` for an empty set or a negative id.
    public init(_ allowed: Set<Int>) throws {
        try require(!allowed.isEmpty, "allowed token set must not be empty")
        if let bad = allowed.first(where: { $0 < 0 }) {
            throw SamplingError.invalidParameter("allowed token ids must be non-negative, got \(bad)")
        }
        self.allowed = allowed
        sorted = allowed.sorted()
    }

    /// `allowed`.
    public var name: String { "allowed" }

    /// Keeps only the allowed tokens. O(n).
    ///
    /// - Throws: ``SamplingError/tokenOutOfRange(_:vocabularySize:)``,
    ///   ``SamplingError/allTokensMasked`` if every allowed token is already masked.
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        try logits.keepOnly(sorted)
    }
}
