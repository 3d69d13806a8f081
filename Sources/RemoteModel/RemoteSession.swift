import Decoding

/// A session of a ``RemoteLanguageModel``: a token prefix and the row the engine returned for
/// it, fetched when the prefix changes (so reading ``logits`` never goes to the network).
final class RemoteSession: ModelSession {
    let model: RemoteLanguageModel
    private(set) var tokens: [Int]
    private(set) var logits: [Float]

    init(model: RemoteLanguageModel, tokens: [Int], logits: [Float]) {
        self.model = model
        self.tokens = tokens
        self.logits = logits
    }

    /// No hidden state is served.
    var hiddenState: [Float] { [] }

    func append(_ newTokens: [Int]) throws {
        guard !newTokens.isEmpty else { return }
        let extended = tokens + newTokens
        try model.check(extended)
        logits = try model.rows(for: [extended])[0]
        tokens = extended
    }

    func fork() throws -> any ModelSession {
        RemoteSession(model: model, tokens: tokens, logits: logits)
    }

    func rollback(to count: Int) throws {
        guard count >= 1 && count <= tokens.count else {
            throw LanguageModelError.invalidRollback(to: count, length: tokens.count)
        }
        guard count < tokens.count else { return }
        let prefix = Array(tokens.prefix(count))
        logits = try model.rows(for: [prefix])[0]
        tokens = prefix
    }

    /// Sets the prefix and its row (after a batched fetch).
    func update(tokens: [Int], logits: [Float]) {
        self.tokens = tokens
        self.logits = logits
    }
}
