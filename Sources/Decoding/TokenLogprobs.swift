/// One token with its natural-log probability, as in a list of the most likely tokens.
public struct TokenLogprob: Sendable, Hashable {
    /// The token id.
    public var token: Int
    /// `log p` of the token.
    public var logprob: Double

    /// A token and its log-probability.
    public init(token: Int, logprob: Double) {
        self.token = token
        self.logprob = logprob
    }
}

/// The log-probabilities of one emitted token, as far as the strategy and the generator know
/// them (OpenAI's `logprobs`, llama.cpp's `n_probs`).
///
/// - ``sampled``: `log p` under the distribution the token was actually drawn from, after the
///   processor chain and any constraint mask (the strategy reports it; plain sampling and LCD
///   do, AWRS, SMC, searches and speculative acceptance do not know it and leave `nil`);
///   `0` for a greedy pick, whose distribution is a point mass.
/// - ``model``: `log p` under the model's raw distribution, the log-softmax of the logits
///   before any processor (the generator computes it for the first token of every step;
///   later tokens of a multi-token step only when the strategy reports it).
/// - ``top``: the most likely tokens of the model's raw distribution at this position, most
///   likely first (ties: smaller id first), when asked for and known.
public struct TokenLogprobs: Sendable, Hashable {
    /// `log p` under the distribution the token was drawn from, when the strategy knows it.
    public var sampled: Double?
    /// `log p` under the model's raw distribution, when known.
    public var model: Double?
    /// The most likely tokens under the model's raw distribution at this position.
    public var top: [TokenLogprob]

    /// Log-probabilities of one token.
    public init(sampled: Double? = nil, model: Double? = nil, top: [TokenLogprob] = []) {
        self.sampled = sampled
        self.model = model
        self.top = top
    }
}
