/// What can go wrong with a request to `decode serve`, each with the HTTP status and the
/// OpenAI error fields (`type`, `param`, `code`) it is reported with (``OpenAIErrorBody``).
public enum ServingError: Error, Sendable, Hashable {
    /// The body is not JSON, or not a JSON object.
    case malformedBody(String)
    /// The body is larger than the server reads.
    case bodyTooLarge(limit: Int)
    /// A field has the wrong type or a value outside its range; `field` is its JSON path.
    case invalidField(field: String, reason: String)
    /// A required field is missing.
    case missingField(String)
    /// A field or combination this server does not offer (`reason` says which and why).
    case unsupported(field: String, reason: String)
    /// The request names a model this server does not serve.
    case unknownModel(requested: String, served: String)
    /// The prompt (or the prompt plus `max_tokens`) does not fit the context a request may use.
    case contextExceeded(promptTokens: Int, maxTokens: Int?, limit: Int, field: String)
    /// `max_tokens` is zero or negative.
    case invalidMaxTokens(Int)
    /// A constraint (`response_format`, `regex`, `grammar`) that does not compile; `message`
    /// is the compiler's sentence.
    case invalidConstraint(field: String, message: String)
    /// More requests are waiting than the server queues.
    case queueFull(limit: Int)
    /// The server is shutting down and takes no new requests.
    case shuttingDown
    /// Generation failed inside the model or a strategy after the request was accepted.
    case generationFailed(String)
}

extension ServingError {
    /// The HTTP status code of the response.
    public var status: Int {
        switch self {
        case .malformedBody, .invalidField, .missingField, .unsupported, .contextExceeded, .invalidMaxTokens,
             .invalidConstraint:
            return 400
        case .unknownModel: return 404
        case .bodyTooLarge: return 413
        case .queueFull: return 429
        case .shuttingDown: return 503
        case .generationFailed: return 500
        }
    }

    /// OpenAI's error `type`.
    public var type: String {
        switch self {
        case .queueFull: return "rate_limit_error"
        case .generationFailed, .shuttingDown: return "server_error"
        case .unknownModel: return "not_found_error"
        default: return "invalid_request_error"
        }
    }

    /// The request field at fault (a JSON path), if one is.
    public var param: String? {
        switch self {
        case .invalidField(let field, _), .unsupported(let field, _), .invalidConstraint(let field, _),
             .contextExceeded(_, _, _, let field):
            return field
        case .missingField(let field): return field
        case .invalidMaxTokens: return "max_tokens"
        case .unknownModel: return "model"
        default: return nil
        }
    }

    /// A machine-readable code (OpenAI's where one exists).
    public var code: String {
        switch self {
        case .malformedBody: return "invalid_json"
        case .bodyTooLarge: return "body_too_large"
        case .invalidField, .invalidMaxTokens: return "invalid_value"
        case .missingField: return "missing_required_parameter"
        case .unsupported: return "unsupported_parameter"
        case .unknownModel: return "model_not_found"
        case .contextExceeded: return "context_length_exceeded"
        case .invalidConstraint: return "invalid_constraint"
        case .queueFull: return "rate_limit_exceeded"
        case .shuttingDown: return "server_shutting_down"
        case .generationFailed: return "generation_failed"
        }
    }
}
