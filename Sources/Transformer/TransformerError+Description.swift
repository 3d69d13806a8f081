extension TransformerError: CustomStringConvertible {
    /// One sentence that says what in the model (or the request) this runtime cannot run.
    public var description: String {
        switch self {
        case .unsupportedArchitecture(let name, let supported):
            return "unsupported architecture \(name); this runtime runs \(supported.joined(separator: ", "))"
        case .vocabularyMismatch(let tensor, let rows, let tokens):
            return "tensor \(tensor) has \(rows) rows, but the vocabulary has \(tokens) tokens"
        case .unsupportedTensorType(let name, let type): return "tensor \(name) is stored as \(type), which its role cannot use"
        case .unsupportedHyperparameter(let name, let value): return "unsupported hyper-parameter \(name) = \(value)"
        case .invalidThreadCount(let count): return "the thread count must be at least 1, got \(count)"
        case .invalidEarlyExit(let layers, let layerCount):
            return "an early exit after \(layers) layers must keep at least one of the model's \(layerCount) layers and drop at least one (1...\(layerCount - 1))"
        }
    }
}
