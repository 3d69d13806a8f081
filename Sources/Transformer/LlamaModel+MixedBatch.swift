import Decoding

extension LlamaModel {
    /// Appends `runs[i]` to `sessions[i]` and starts a session for each of `prompts`, in one
    /// forward pass: every run is a chain of rows against its own cache, like a prefill, and
    /// the rows of all runs share each weight read. Each session ends with the logits and hidden
    /// state after its last token. The runtime is batch invariant, so every token gets the same
    /// bits as in ``makeSession(prompt:)`` or ``LlamaSession/append(_:)`` alone.
    ///
    /// A session listed twice, or more than `prefillChunk` (256) tokens in all, falls back to
    /// ``LanguageModel/evaluateOneByOne(appending:to:starting:)``.
    ///
    /// - Throws: ``LanguageModelError/batchMismatch(sessions:tokens:)``, ``LanguageModelError/emptyPrompt``
    ///   (for an empty run or prompt), ``LanguageModelError/foreignSession``,
    ///   ``LanguageModelError/tokenOutOfRange(_:vocabularySize:)``,
    ///   ``LanguageModelError/contextFull(limit:requested:)``; no session changes then.
    public func evaluateBatch(appending runs: [[Int]], to sessions: [any ModelSession],
                              starting prompts: [[Int]]) throws -> [any ModelSession] {
        guard runs.count == sessions.count else {
            throw LanguageModelError.batchMismatch(sessions: sessions.count, tokens: runs.count)
        }
        let owned = try sessions.map(own)
        for run in runs + prompts {
            guard !run.isEmpty else { throw LanguageModelError.emptyPrompt }
            try checkTokens(run)
        }
        for (session, run) in zip(owned, runs) where session.tokens.count + run.count > contextLength {
            throw LanguageModelError.contextFull(limit: contextLength, requested: session.tokens.count + run.count)
        }
        for prompt in prompts where prompt.count > contextLength {
            throw LanguageModelError.contextFull(limit: contextLength, requested: prompt.count)
        }
        let total = (runs + prompts).reduce(0) { $0 + $1.count }
        if Set(owned.map(ObjectIdentifier.init)).count < owned.count || total > Self.prefillChunk {
            return try evaluateOneByOne(appending: runs, to: sessions, starting: prompts)
        }
        let started = prompts.map { _ in LlamaSession(model: self, cache: KVCache(shape: cacheShape)) }
        let targets = owned + started
        let allRuns = runs + prompts
        withScratch { scratch in
            scratch.rows.removeAll(keepingCapacity: true)
            scratch.caches.removeAll(keepingCapacity: true)
            scratch.outputRows.removeAll(keepingCapacity: true)
            for (i, (session, run)) in zip(targets, allRuns).enumerated() {
                let n = session.tokens.count
                session.cache.reserve(upTo: n + run.count)
                scratch.caches.append(session.cache)
                let first = scratch.rows.count
                for (offset, token) in run.enumerated() {
                    scratch.rows.append(
                        ForwardRow(token: token, position: n + offset, parent: offset == 0 ? -1 : first + offset - 1,
                                   cacheIndex: i, cacheLength: n, persists: true))
                }
                scratch.outputRows.append(scratch.rows.count - 1)
            }
            runForward(scratch)
            scratch.caches.removeAll(keepingCapacity: true)
            for (i, (session, run)) in zip(targets, allRuns).enumerated() {
                session.didEvaluate(run)
                copyOutput(scratch, output: i, to: session)
            }
        }
        return started
    }
}
