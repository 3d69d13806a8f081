extension JSONSchemaError: CustomStringConvertible {
    /// One sentence that says what the schema compiler rejected, with its JSON Pointer.
    public var description: String {
        switch self {
        case .invalidJSON(let error): return "not JSON: \(error)"
        case .unsupported(let keyword, let path, let reason): return "unsupported keyword '\(keyword)' at \(path): \(reason)"
        case .remoteReference(let reference, let path): return "remote $ref '\(reference)' at \(path) is not supported"
        case .unresolvedReference(let reference, let path): return "$ref '\(reference)' at \(path) does not resolve"
        case .referenceCycle(let reference, let path): return "$ref '\(reference)' at \(path) loops without consuming input"
        case .invalidKeyword(let keyword, let path, let reason): return "invalid '\(keyword)' at \(path): \(reason)"
        case .unsatisfiable(let path, let reason): return "no instance can satisfy the schema at \(path): \(reason)"
        case .repetitionTooLarge(let keyword, let path, let count, let limit):
            return "'\(keyword)' at \(path) asks for \(count) repetitions; the limit is \(limit)"
        }
    }
}
