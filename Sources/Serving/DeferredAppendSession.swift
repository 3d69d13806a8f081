import Decoding

/// A session whose one-token appends wait for the scheduler's next batched evaluation.
///
/// A token-by-token strategy ends its step with `append([token])`; here that only records the
/// token, and the ``BatchScheduler`` evaluates the recorded tokens of every job in one
/// ``LanguageModel/appendBatch(_:tokens:)`` call before the next step. Anything that needs the
/// evaluated state first (reading ``logits``, appending again, forking, rolling back) evaluates
/// the waiting token on its own, so a strategy sees the same session either way: batching
/// changes the cost, never the tokens.
///
/// A class because it wraps a session (a reference that owns a cache); used by the
/// scheduler's thread only.
final class DeferredAppendSession: ModelSession {
    /// The model's own session.
    private(set) var base: any ModelSession
    /// The token appended but not evaluated yet.
    private(set) var deferredToken: Int?
    /// An error evaluating the deferred token from a getter (which cannot throw); the scheduler
    /// reports it after the step.
    private(set) var deferredError: (any Error)?
    private let vocabularySize: Int
    private let contextLength: Int

    /// Wraps `base`, a session of a model with this vocabulary and context.
    init(base: any ModelSession, vocabularySize: Int, contextLength: Int) {
        self.base = base
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
    }

    var tokens: [Int] {
        guard let deferredToken else { return base.tokens }
        return base.tokens + [deferredToken]
    }

    var logits: [Float] {
        evaluateDeferredRecordingError()
        return base.logits
    }

    var hiddenState: [Float] {
        evaluateDeferredRecordingError()
        return base.hiddenState
    }

    /// Records one token for the next batch (after checking what the model would check);
    /// evaluates anything else at once.
    func append(_ tokens: [Int]) throws {
        try evaluateDeferred()
        if tokens.count == 1, tokens[0] >= 0, tokens[0] < vocabularySize, base.count < contextLength {
            deferredToken = tokens[0]
        } else {
            try base.append(tokens)
        }
    }

    func fork() throws -> any ModelSession {
        try evaluateDeferred()
        return try base.fork()
    }

    func rollback(to count: Int) throws {
        try evaluateDeferred()
        try base.rollback(to: count)
    }

    func commitTreePath(_ path: [Int], of tree: TokenTree) throws {
        try evaluateDeferred()
        try base.commitTreePath(path, of: tree)
    }

    /// Takes the deferred token out for a batched evaluation (the caller evaluates it in `base`).
    func takeDeferredToken() -> Int? {
        defer { deferredToken = nil }
        return deferredToken
    }

    /// Evaluates the deferred token alone.
    func evaluateDeferred() throws {
        guard let token = deferredToken else { return }
        deferredToken = nil
        try base.append([token])
    }

    private func evaluateDeferredRecordingError() {
        do {
            try evaluateDeferred()
        } catch {
            deferredError = error
        }
    }
}
