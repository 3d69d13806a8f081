/// Where a ``RemoteLanguageModel`` asks for its distributions, and how much of each it reads.
public struct RemoteModelConfiguration: Sendable, Hashable {
    /// The server's base URL, without `/v1` (`http://127.0.0.1:8080`).
    public var baseURL: String
    /// The `model` field sent (`nil`: none; `decode serve` and llama.cpp take any).
    public var model: String?
    /// How many most likely tokens each evaluation reads (`logprobs`); the rest of the row is
    /// `-infinity`. `decode serve` returns up to the whole vocabulary; vLLM caps it at its
    /// `--max-logprobs` (20 by default), llama.cpp's server at its `n_probs` limit.
    public var topLogprobs: Int
    /// Seconds one request may take.
    public var timeoutSeconds: Int64

    /// A configuration.
    public init(baseURL: String, model: String? = nil, topLogprobs: Int = 20, timeoutSeconds: Int64 = 600) {
        self.baseURL = baseURL
        self.model = model
        self.topLogprobs = topLogprobs
        self.timeoutSeconds = timeoutSeconds
    }
}
