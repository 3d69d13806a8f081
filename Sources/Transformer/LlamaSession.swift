import Decoding

/// A token sequence evaluated by a ``LlamaModel``: its tokens, paged key/value cache, and the
/// logits and final hidden state after its last token.
///
/// Not thread-safe: use a session from one task at a time (the model it came from may be
/// shared freely).
public final class LlamaSession: ModelSession {
    let model: LlamaModel
    var cache: KVCache
    /// Every token evaluated so far, prompt included.
    public private(set) var tokens: [Int] = []
    /// Logits over the vocabulary for the token after ``tokens``.
    public internal(set) var logits: [Float]
    /// The final hidden state (after the last RMSNorm) at the last token.
    public internal(set) var hiddenState: [Float]
    /// The keys, values and outputs of the last tree evaluated after this session, for
    /// ``commitTreePath(_:of:)`` (see `TreeKeyValues`); not shared with forks.
    var treeCapture: TreeKeyValues?

    init(model: LlamaModel, cache: KVCache) {
        self.model = model
        self.cache = cache
        self.logits = [Float](repeating: 0, count: model.vocabularySize)
        self.hiddenState = [Float](repeating: 0, count: model.hiddenSize)
    }

    private init(copying other: LlamaSession) {
        model = other.model
        cache = other.cache
        tokens = other.tokens
        logits = other.logits
        hiddenState = other.hiddenState
    }

    /// Evaluates `tokens` after the current sequence, in batched passes of up to 256 tokens.
    ///
    /// - Throws: ``LanguageModelError/tokenOutOfRange(_:vocabularySize:)`` or
    ///   ``LanguageModelError/contextFull(limit:requested:)``; the session is unchanged then.
    public func append(_ tokens: [Int]) throws {
        if tokens.isEmpty { return }
        try model.checkTokens(tokens)
        let requested = self.tokens.count + tokens.count
        guard requested <= model.contextLength else {
            throw LanguageModelError.contextFull(limit: model.contextLength, requested: requested)
        }
        model.evaluate(appending: tokens, to: self)
    }

    /// A new session with the same tokens that shares this one's cache blocks; later appends to
    /// either copy at most the one shared, partly filled block.
    ///
    /// - Complexity: O(number of cache blocks) plus a copy of the logits.
    public func fork() throws -> any ModelSession { forkLlama() }

    /// ``fork()`` with the concrete session type.
    public func forkLlama() -> LlamaSession { LlamaSession(copying: self) }

    /// Forgets every token after the first `count`. The logits after token `count` are
    /// recomputed by evaluating that one token again (the cache keeps everything before it).
    /// In a model with sliding-window layers, a rollback further back than the 256 positions
    /// those layers keep beyond their window evaluates the first `count` tokens again instead.
    ///
    /// - Throws: ``LanguageModelError/invalidRollback(to:length:)`` unless `1 <= count <= tokens.count`.
    public func rollback(to count: Int) throws {
        guard count >= 1, count <= tokens.count else {
            throw LanguageModelError.invalidRollback(to: count, length: tokens.count)
        }
        if count == tokens.count { return }
        let last = tokens[count - 1]
        tokens.removeLast(tokens.count - count + 1)
        cache.truncate(to: count - 1)
        if cache.holdsWindow {
            model.evaluate(appending: [last], to: self)
        } else {
            let kept = tokens + [last]
            tokens = []
            cache = KVCache(shape: cache.shape)
            model.evaluate(appending: kept, to: self)
        }
    }

    /// Bytes of key/value cache this session refers to, blocks shared with its forks included:
    /// full-attention layers hold every position, sliding-window layers their window and a margin.
    public var keyValueCacheBytes: Int { cache.byteCount }

    /// Records tokens whose keys and values the model has just written.
    func didEvaluate(_ newTokens: some Collection<Int>) {
        tokens.append(contentsOf: newTokens)
        cache.commit(count: tokens.count)
        treeCapture?.invalidate()
    }
}
