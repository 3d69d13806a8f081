/// One row of logits over the vocabulary: a contiguous Float32 buffer with its softmax,
/// log-softmax, entropy and top-k views computed on first use and cached.
///
/// `Logits` is a value: copies share storage and cache until one of them is mutated, and every
/// mutation invalidates the cache of the mutated copy only.
///
/// Invariants, checked at construction and after every mutation:
/// - no entry is NaN or `+infinity` (``SamplingError/nonFiniteLogit(index:value:)``): such a row
///   comes from a broken runtime and any distribution derived from it would be meaningless;
/// - `-infinity` marks a masked token (probability exactly zero);
/// - at least one token is not masked (``SamplingError/allTokensMasked``), so the
///   probabilities are always defined and no division by zero can happen.
///
/// ```swift
/// var logits = try Logits(session.logits)
/// try logits.ban([eos])
/// let p = logits.probabilities        // computed once, cached
/// ```
public struct Logits: Sendable {
    var storage: [Float]
    var cache: LogitsCache

    /// Wraps a row of Float32 logits (for example ``ModelSession/logits``).
    ///
    /// - Throws: ``SamplingError/emptyLogits``, ``SamplingError/nonFiniteLogit(index:value:)``,
    ///   ``SamplingError/allTokensMasked``.
    /// - Complexity: O(n), one validation pass.
    public init(_ values: [Float]) throws {
        try Logits.validate(values)
        storage = values
        cache = LogitsCache()
    }

    /// Number of entries (the vocabulary size).
    public var count: Int { storage.count }

    /// The raw values; `-infinity` marks a masked token.
    public var values: [Float] { storage }

    /// The logit of `token`. Precondition: `0 <= token < count`.
    public subscript(token: Int) -> Float { storage[token] }

    /// Whether `token` is masked (its logit is `-infinity`).
    public func isMasked(_ token: Int) -> Bool { storage[token] == -.infinity }

    /// Runs `body` on the values in place, then checks the invariants and drops the cache.
    ///
    /// - Throws: what `body` throws, ``SamplingError/nonFiniteLogit(index:value:)`` and
    ///   ``SamplingError/allTokensMasked`` if `body` broke the invariants (the values are then
    ///   left as `body` wrote them).
    /// - Complexity: O(n) for the check, plus `body`.
    public mutating func withMutableValues<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) throws -> R {
        let result = try withUncheckedMutableValues(body)
        try Logits.validate(storage)
        return result
    }

    /// Like ``withMutableValues(_:)`` without the O(n) check, for processors that keep the
    /// invariants by construction.

    package mutating func withUncheckedMutableValues<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        invalidateCache()
        return try storage.withUnsafeMutableBufferPointer { try body(&$0) }
    }

    /// Masks every token not in `allowed`.
    ///
    /// - Throws: ``SamplingError/tokenOutOfRange(_:vocabularySize:)`` for an id outside the
    ///   vocabulary, ``SamplingError/allTokensMasked`` if no allowed token was unmasked (the
    ///   logits are then unchanged).
    /// - Complexity: O(n + allowed).
    public mutating func keepOnly(_ allowed: some Sequence<Int>) throws {
        var kept: [(Int, Float)] = []
        for token in allowed {
            try checkToken(token)
            if storage[token] != -.infinity { kept.append((token, storage[token])) }
        }
        guard !kept.isEmpty else { throw SamplingError.allTokensMasked }
        keepOnlyUnchecked(kept.map(\.0))
    }

    /// Masks every token in `banned`.
    ///
    /// - Throws: ``SamplingError/tokenOutOfRange(_:vocabularySize:)``, and
    ///   ``SamplingError/allTokensMasked`` if that would mask everything (logits unchanged).
    /// - Complexity: O(n + banned).
    public mutating func ban(_ banned: some Sequence<Int>) throws {
        var saved: [(Int, Float)] = []
        for token in banned {
            try checkToken(token)
            saved.append((token, storage[token]))
        }
        withMaskingMutation { values, _ in
            for (token, _) in saved { values[token] = -.infinity }
        }
        if unmaskedCount == 0 {
            withMaskingMutation { values, _ in
                for (token, value) in saved.reversed() { values[token] = value }
            }
            throw SamplingError.allTokensMasked
        }
    }

    /// Throws ``SamplingError/tokenOutOfRange(_:vocabularySize:)`` unless `0 <= token < count`.
    public func checkToken(_ token: Int) throws {
        guard token >= 0 && token < storage.count else {
            throw SamplingError.tokenOutOfRange(token, vocabularySize: storage.count)
        }
    }

    mutating func invalidateCache(keepingCandidates: Bool = false) {
        if isKnownUniquelyReferenced(&cache) {
            cache.clear(keepingCandidates: keepingCandidates)
        } else {
            let candidates = keepingCandidates ? cache.withLock { $0.candidates } : nil
            cache = LogitsCache()
            cache.candidates = candidates
        }
    }

    /// Like ``withUncheckedMutableValues(_:)`` for a `body` that only masks tokens or changes
    /// unmasked values (never unmasks one): the candidate list stays valid and is passed to
    /// `body`, so it can visit only those entries.

    package mutating func withMaskingMutation<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>, [Int]?) throws -> R
    ) rethrows -> R {
        invalidateCache(keepingCandidates: true)
        let candidates = cache.candidates
        return try storage.withUnsafeMutableBufferPointer { try body(&$0, candidates) }
    }

    /// Ascending ids that include every unmasked token, when known (after a truncation to a
    /// small set); `nil` means "look at every entry".
    package var candidateTokens: [Int]? { cache.withLock { $0.candidates } }

    /// Calls `body` with every unmasked token and its logit, in increasing id order, in
    /// O(candidates) when the candidate list is known.

    package func forEachUnmasked(_ body: (Int, Float) throws -> Void) rethrows {
        try storage.withUnsafeBufferPointer { values in
            if let candidates = candidateTokens {
                for token in candidates where values[token] != -.infinity { try body(token, values[token]) }
            } else {
                for token in values.indices where values[token] != -.infinity { try body(token, values[token]) }
            }
        }
    }

    /// Checks the invariants of a row: non-empty, no NaN or `+inf`, at least one finite entry.
    /// One vectorized pass; the offending index is searched only when the row is bad.
    static func validate(_ values: [Float]) throws {
        guard !values.isEmpty else { throw SamplingError.emptyLogits }
        let (bad, anyFinite) = values.withUnsafeBufferPointer(VectorMath.scan)
        if bad, let index = values.firstIndex(where: { !($0 < .infinity) }) {
            throw SamplingError.nonFiniteLogit(index: index, value: values[index])
        }
        guard anyFinite else { throw SamplingError.allTokensMasked }
    }
}
