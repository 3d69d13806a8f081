import Decoding

/// Settings every search strategy shares: how candidates sample, when they end, and how much
/// work the search may do.
public struct SearchOptions: Sendable {
    /// Processors applied before a candidate samples (or picks greedily) a token.
    public var chain: LogitProcessorChain
    /// Seed of the candidates' generators: candidate slot `i` draws from
    /// `Xoshiro256StarStar(seed: seed, stream: i)`, slot 0 from `Xoshiro256StarStar(seed: seed)`
    /// (so a one-candidate search draws exactly what ``SamplingStrategy`` draws).
    public var seed: UInt64
    /// Strings that end a candidate when they appear in its text (needs a decoder).
    public var stopStrings: [String]
    /// Cap on the tokens the model evaluates in one search step; checked before each batched
    /// evaluation, so a search overshoots it by at most one batch. `nil`: no cap.
    public var maxTokensEvaluated: Int?
    /// Whether candidates accumulate the model's hidden states (for clustering).
    var tracksHiddenStates = false

    /// Options; validate with ``validate()`` (the strategies do).
    public init(chain: LogitProcessorChain = LogitProcessorChain(), seed: UInt64 = 0, stopStrings: [String] = [],
                maxTokensEvaluated: Int? = nil) {
        self.chain = chain
        self.seed = seed
        self.stopStrings = stopStrings
        self.maxTokensEvaluated = maxTokensEvaluated
    }

    /// Throws ``SearchError/invalidParameter(name:value:requirement:)`` for a cap below 1 or an
    /// empty stop string.
    public func validate() throws(SearchError) {
        if let cap = maxTokensEvaluated { try SearchError.requirePositive(cap, "maxTokensEvaluated") }
        if stopStrings.contains(where: \.isEmpty) {
            throw .invalidParameter(name: "stop string", value: "\"\"", requirement: "non-empty")
        }
    }

    /// The generator of candidate slot `slot`.
    func generator(slot: Int) -> Xoshiro256StarStar {
        slot == 0 ? Xoshiro256StarStar(seed: seed) : Xoshiro256StarStar(seed: seed, stream: UInt64(slot))
    }
}

