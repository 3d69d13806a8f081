extension StopReason {
    /// A short snake-case name, as OpenAI-style APIs report a finish reason: `max_tokens`,
    /// `end_of_sequence`, `stop_string`, `predicate`, `context_full`, `cancelled`.
    public var name: String {
        switch self {
        case .maxTokens: return "max_tokens"
        case .endOfSequence: return "end_of_sequence"
        case .stopString: return "stop_string"
        case .predicate: return "predicate"
        case .contextFull: return "context_full"
        case .cancelled: return "cancelled"
        }
    }
}

extension StopReason: CustomStringConvertible {
    /// The name with a sentence a user understands, e.g.
    /// `context_full (the model's context is full)`.
    public var description: String {
        switch self {
        case .maxTokens: return "\(name) (the token limit was reached)"
        case .endOfSequence(let token): return "\(name) (the model ended its turn with token \(token))"
        case .stopString(let text): return "\(name) (the text reached the stop string \(text.debugDescription))"
        case .predicate: return "\(name) (the caller's stop condition held)"
        case .contextFull: return "\(name) (the model's context is full)"
        case .cancelled: return "\(name) (the generation was cancelled)"
        }
    }
}
