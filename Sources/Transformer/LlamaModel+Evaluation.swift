import Decoding

extension LlamaModel {
    /// Appends `tokens[i]` to `sessions[i]` for every `i` in one forward pass: each weight is
    /// read once for the whole batch, and each row attends only to its own session's cache.
    ///
    /// A session listed twice gets its tokens appended in order, one pass per repetition.
    ///
    /// - Throws: ``LanguageModelError/batchMismatch(sessions:tokens:)``,
    ///   ``LanguageModelError/foreignSession``, ``LanguageModelError/tokenOutOfRange(_:vocabularySize:)``,
    ///   ``LanguageModelError/contextFull(limit:requested:)``; no session changes then.
    public func appendBatch(_ sessions: [any ModelSession], tokens: [Int]) throws {
        guard sessions.count == tokens.count else {
            throw LanguageModelError.batchMismatch(sessions: sessions.count, tokens: tokens.count)
        }
        let owned = try sessions.map(own)
        try checkTokens(tokens)
        var appended: [ObjectIdentifier: Int] = [:]
        for session in owned {
            appended[ObjectIdentifier(session), default: 0] += 1
            let requested = session.tokens.count + appended[ObjectIdentifier(session)]!
            guard requested <= contextLength else {
                throw LanguageModelError.contextFull(limit: contextLength, requested: requested)
            }
        }
        if appended.count < owned.count {
            for (session, token) in zip(owned, tokens) { evaluate(appending: [token], to: session) }
            return
        }
        if owned.count == 1 {
            evaluate(appending: tokens, to: owned[0])
            return
        }
        withScratch { scratch in
            scratch.rows.removeAll(keepingCapacity: true)
            scratch.caches.removeAll(keepingCapacity: true)
            scratch.outputRows.removeAll(keepingCapacity: true)
            for session in owned {
                session.cache.reserve(upTo: session.tokens.count + 1)
            }
            for (i, session) in owned.enumerated() {
                scratch.caches.append(session.cache)
                let n = session.tokens.count
                scratch.rows.append(
                    ForwardRow(token: tokens[i], position: n, parent: -1, cacheIndex: i, cacheLength: n, persists: true))
                scratch.outputRows.append(i)
            }
            runForward(scratch)
            scratch.caches.removeAll(keepingCapacity: true)
            for (i, session) in owned.enumerated() {
                session.didEvaluate(CollectionOfOne(tokens[i]))
                copyOutput(scratch, output: i, to: session)
            }
        }
    }

    /// Evaluates `tree` after the session's last token in one forward pass with an
    /// ancestor-only attention mask, node `i` at position `session.count + depth(i)`, and returns
    /// the logits after every node. The session is unchanged, but keeps what the evaluation
    /// computed for the nodes so that ``LlamaSession/commitTreePath(_:of:)`` can append a path
    /// without evaluating it again.
    ///
    /// - Throws: ``LanguageModelError/foreignSession``, ``LanguageModelError/tokenOutOfRange(_:vocabularySize:)``,
    ///   ``LanguageModelError/contextFull(limit:requested:)`` when the deepest path would not fit.
    public func evaluateTree(_ tree: TokenTree, after session: any ModelSession) throws -> [[Float]] {
        let session = try own(session)
        try checkTokens(tree.tokens)
        if tree.count == 0 { return [] }
        let depths = tree.depths
        let requested = session.tokens.count + (depths.max() ?? 0) + 1
        guard requested <= contextLength else {
            throw LanguageModelError.contextFull(limit: contextLength, requested: requested)
        }
        return withScratch { scratch in
            let n = session.tokens.count
            scratch.rows.removeAll(keepingCapacity: true)
            scratch.outputRows.removeAll(keepingCapacity: true)
            scratch.caches.removeAll(keepingCapacity: true)
            scratch.caches.append(session.cache)
            for i in 0..<tree.count {
                scratch.rows.append(
                    ForwardRow(
                        token: tree.tokens[i], position: n + depths[i], parent: tree.parents[i], cacheIndex: 0,
                        cacheLength: n, persists: false))
                scratch.outputRows.append(i)
            }
            scratch.capture = prepareCapture(for: session, rows: tree.count)
            runForward(scratch)
            scratch.caches.removeAll(keepingCapacity: true)
            let vocabulary = vocabularySize
            let rows = (0..<tree.count).map { i in
                Array(UnsafeBufferPointer(start: scratch.logits + i * vocabulary, count: vocabulary))
            }
            scratch.capture?.finish(tree: tree, sessionLength: n, logits: rows, hidden: scratch.outputHidden)
            scratch.capture = nil
            return rows
        }
    }

    /// Appends already-validated `tokens` to `session` as chains of rows, `prefillChunk` at a
    /// time, and leaves the outputs after the last one in the session.
    func evaluate(appending tokens: [Int], to session: LlamaSession) {
        withScratch { scratch in
            var start = 0
            while start < tokens.count {
                let end = min(tokens.count, start + Self.prefillChunk)
                let n = session.tokens.count
                session.cache.reserve(upTo: n + end - start)
                scratch.rows.removeAll(keepingCapacity: true)
                scratch.outputRows.removeAll(keepingCapacity: true)
                scratch.caches.removeAll(keepingCapacity: true)
                scratch.caches.append(session.cache)
                for (offset, token) in tokens[start..<end].enumerated() {
                    scratch.rows.append(
                        ForwardRow(
                            token: token, position: n + offset, parent: offset - 1, cacheIndex: 0, cacheLength: n,
                            persists: true))
                }
                if end == tokens.count { scratch.outputRows.append(end - start - 1) }
                runForward(scratch)
                scratch.caches.removeAll(keepingCapacity: true)
                session.didEvaluate(tokens[start..<end])
                start = end
            }
            copyOutput(scratch, output: 0, to: session)
        }
    }

    func copyOutput(_ scratch: ForwardScratch, output: Int, to session: LlamaSession) {
        let vocabulary = vocabularySize, width = hiddenSize
        session.logits.withUnsafeMutableBufferPointer {
            $0.baseAddress!.update(from: scratch.logits + output * vocabulary, count: vocabulary)
        }
        session.hiddenState.withUnsafeMutableBufferPointer {
            $0.baseAddress!.update(from: scratch.outputHidden + output * width, count: width)
        }
    }
}
