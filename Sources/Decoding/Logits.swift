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
    @usableFromInline var storage: [Float]
    @usableFromInline var cache: LogitsCache

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
    @inlinable public var count: Int { storage.count }

    /// The raw values; `-infinity` marks a masked token.
    @inlinable public var values: [Float] { storage }

    /// The logit of `token`. Precondition: `0 <= token < count`.
    @inlinable public subscript(token: Int) -> Float { storage[token] }

    /// Whether `token` is masked (its logit is `-infinity`).
    @inlinable public func isMasked(_ token: Int) -> Bool { storage[token] == -.infinity }

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
    @inlinable
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
        withUncheckedMutableValues { values in
            values.update(repeating: -.infinity)
            for (token, value) in kept { values[token] = value }
        }
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
        withUncheckedMutableValues { values in
            for (token, _) in saved { values[token] = -.infinity }
        }
        if !storage.contains(where: { $0 != -.infinity }) {
            withUncheckedMutableValues { values in
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

    @inlinable mutating func invalidateCache() {
        if isKnownUniquelyReferenced(&cache) {
            cache.clear()
        } else {
            cache = LogitsCache()
        }
    }

    /// Checks the invariants of a row: non-empty, no NaN or `+inf`, at least one finite entry.
    static func validate(_ values: [Float]) throws {
        guard !values.isEmpty else { throw SamplingError.emptyLogits }
        var anyFinite = false
        for (index, value) in values.enumerated() {
            if value.isFinite {
                anyFinite = true
            } else if value != -.infinity {
                throw SamplingError.nonFiniteLogit(index: index, value: value)
            }
        }
        guard anyFinite else { throw SamplingError.allTokensMasked }
    }
}
