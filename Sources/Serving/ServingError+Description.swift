extension ServingError: CustomStringConvertible {
    /// A sentence a user understands (the `message` of the error body).
    public var description: String {
        switch self {
        case .malformedBody(let reason): return "the request body is not a valid JSON object: \(reason)"
        case .bodyTooLarge(let limit): return "the request body is larger than \(limit) bytes"
        case .invalidField(let field, let reason): return "'\(field)' \(reason)"
        case .missingField(let field): return "'\(field)' is required"
        case .unsupported(let field, let reason): return "'\(field)': \(reason)"
        case .unknownModel(let requested, let served):
            return "the model '\(requested)' is not served here; this server serves '\(served)'"
        case .contextExceeded(let prompt, let maxTokens, let limit, _):
            if let maxTokens {
                return "the prompt is \(prompt) tokens and max_tokens is \(maxTokens), \(prompt + maxTokens) in all; "
                    + "a request may use \(limit) tokens of context"
            }
            return "the prompt is \(prompt) tokens; a request may use \(limit) tokens of context, "
                + "with at least one left to generate"
        case .invalidMaxTokens(let value): return "'max_tokens' must be at least 1, got \(value)"
        case .invalidConstraint(let field, let message): return "'\(field)' does not compile: \(message)"
        case .queueFull(let limit): return "the server is busy: \(limit) requests are already waiting; retry later"
        case .shuttingDown: return "the server is shutting down"
        case .generationFailed(let message): return "generation failed: \(message)"
        }
    }
}
