/// A validated request, ready for the ``BatchScheduler``: one job per choice, and how the
/// response is to be written.
public struct PreparedRequest: Sendable {
    /// One job per choice (`n` of them).
    public var jobs: [GenerationJob]
    /// The prompt's length in tokens.
    public var promptTokens: Int
    /// Whether the response streams as server-sent events.
    public var stream: Bool
    /// Whether a stream ends with a chunk carrying the usage counts.
    public var includeUsage: Bool
    /// How many most likely tokens to list per position (`nil`: no log-probabilities).
    public var logprobs: Int?
    /// Whether tokens in log-probabilities are written `token_id:N`.
    public var tokensAsIDs: Bool
}
