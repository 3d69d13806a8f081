/// Processors applied one after another in an explicit order; itself a ``LogitProcessor``
/// (as llama.cpp's sampler chain is itself a sampler).
///
/// The order matters: truncation before temperature (llama.cpp's default, see
/// ``SamplerStage/defaultOrder``) makes top-p and min-p see the model's own distribution, so
/// temperature only reshapes the survivors; temperature first would change which tokens
/// survive.
public struct LogitProcessorChain: LogitProcessor {
    /// The stages, applied first to last.
    public var processors: [any LogitProcessor]

    /// A chain of `processors`, applied in the order given.
    public init(_ processors: [any LogitProcessor] = []) {
        self.processors = processors
    }

    /// The stage names joined with `;` (the format of ``SamplerStage/parseOrder(_:)``).
    public var name: String { processors.map(\.name).joined(separator: ";") }

    /// Whether some stage reduces the row to its argmax (the chain is greedy).
    public var selectsArgmax: Bool { processors.contains { $0.selectsArgmax } }

    /// Applies every stage in order except those that reduce the row to its argmax: the row
    /// whose most likely token a greedy chain would pick, for strategies that must take the
    /// most likely token *allowed* by a constraint instead.
    public mutating func applyRanking(to logits: inout Logits, history: [Int]) throws {
        for index in processors.indices where !processors[index].selectsArgmax {
            try processors[index].apply(to: &logits, history: history)
        }
    }

    /// Applies every stage in order.
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        for index in processors.indices {
            try processors[index].apply(to: &logits, history: history)
        }
    }

    /// Forwards `token` to every stage.
    public mutating func accept(_ token: Int) {
        for index in processors.indices { processors[index].accept(token) }
    }

    /// Resets every stage.
    public mutating func reset() {
        for index in processors.indices { processors[index].reset() }
    }

    /// The processed copy of `logits` (the caller's row is left as it was).
    public mutating func processed(_ logits: Logits, history: [Int]) throws -> Logits {
        var copy = logits
        try apply(to: &copy, history: history)
        return copy
    }
}
