extension LanguageModel {
    /// The default ``LanguageModel/evaluateBatch(appending:to:starting:)``:
    /// ``evaluateOneByOne(appending:to:starting:)``.
    public func evaluateBatch(appending runs: [[Int]], to sessions: [any ModelSession],
                              starting prompts: [[Int]]) throws -> [any ModelSession] {
        try evaluateOneByOne(appending: runs, to: sessions, starting: prompts)
    }

    /// ``LanguageModel/evaluateBatch(appending:to:starting:)`` without a shared pass: the appends
    /// first (in one ``appendBatch(_:tokens:)`` when every run is one token, else one
    /// ``ModelSession/append(_:)`` each), then a ``makeSession(prompt:)`` per prompt.
    ///
    /// - Throws: ``LanguageModelError/batchMismatch(sessions:tokens:)`` and the errors of the calls above.
    public func evaluateOneByOne(appending runs: [[Int]], to sessions: [any ModelSession],
                                 starting prompts: [[Int]]) throws -> [any ModelSession] {
        guard runs.count == sessions.count else {
            throw LanguageModelError.batchMismatch(sessions: sessions.count, tokens: runs.count)
        }
        if runs.allSatisfy({ $0.count == 1 }) {
            if !sessions.isEmpty { try appendBatch(sessions, tokens: runs.map { $0[0] }) }
        } else {
            for (session, run) in zip(sessions, runs) { try session.append(run) }
        }
        return try prompts.map { try makeSession(prompt: $0) }
    }
}
