/// What can go wrong talking to the engine behind a ``RemoteLanguageModel``.
public enum RemoteModelError: Error, Sendable, Hashable {
    /// `topLogprobs` outside `1...vocabularySize`.
    case invalidTopLogprobs(Int, vocabularySize: Int)
    /// The base URL does not make a request URL.
    case invalidURL(String)
    /// The connection failed or timed out.
    case transport(String)
    /// The engine answered with an error status; `message` is its body's message.
    case http(status: Int, message: String)
    /// The answer is not a completions response with `token_id:N` log-probabilities.
    case malformedResponse(String)
}

extension RemoteModelError: CustomStringConvertible {
    /// A sentence a user understands.
    public var description: String {
        switch self {
        case .invalidTopLogprobs(let k, let size): return "top log-probabilities must be in 1...\(size), got \(k)"
        case .invalidURL(let url): return "'\(url)' is not an http(s) URL"
        case .transport(let message): return "the engine could not be reached: \(message)"
        case .http(let status, let message): return "the engine answered HTTP \(status): \(message)"
        case .malformedResponse(let reason): return "the engine's answer cannot be read: \(reason)"
        }
    }
}
