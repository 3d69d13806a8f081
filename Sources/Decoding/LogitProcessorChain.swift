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

    /// Whether some stage masks tokens by a rule over the sequence (a constraint).
    public var restrictsTokens: Bool { processors.contains { $0.restrictsTokens } }

    /// Whether every stage that masks by a rule over the sequence admits `token` after `history`
    /// (see ``LogitProcessor/admits(_:after:)``); the other stages are not asked.
    public mutating func admits(_ token: Int, after history: [Int]) throws -> Bool {
        for index in processors.indices where processors[index].restrictsTokens {
            guard try processors[index].admits(token, after: history) else { return false }
        }
        return true
    }

    /// The stages that mask tokens by a rule over the sequence, in order (for a drafter that
    /// must propose only admitted tokens).
    public var restrictingStages: LogitProcessorChain {
        LogitProcessorChain(processors.filter { $0.restrictsTokens })
    }

    /// The stages that do not mask by a rule over the sequence, in order (what a drafter
    /// samples with before its proposals are pruned).
    public var unrestrictedStages: LogitProcessorChain {
        LogitProcessorChain(processors.filter { !$0.restrictsTokens })
    }

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
