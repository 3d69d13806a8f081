import Foundation

/// A byte-level ``Constraint`` bound to one vocabulary: everything about constraining token
/// sequences that does not change while generating, built once and shared by every
/// ``ConstraintMatcher`` (sessions, beams, particles, speculative branches) made from it.
///
/// It decides single tokens (``check(_:after:)``: a stop token passes where the constraint may
/// stop, a token without bytes never passes, any other passes when its bytes keep the
/// constraint alive) and whole masks (``allowedTokens(after:)``, one walk of the vocabulary's
/// trie). Masks are cached by state when the constraint's states are `Hashable` (up to
/// ``maskCacheCapacity`` of them; the cache is emptied when full): inside a JSON string, any
/// loop of a grammar, or a regex automaton's state, the state repeats and its mask is computed
/// once for every matcher. The cache is guarded by a lock, so matchers on several threads may
/// share one instance.
public final class TokenConstraint<C: Constraint>: @unchecked Sendable {
    /// The constraint.
    public let constraint: C
    /// The vocabulary's token bytes.
    public let table: TokenBytes
    /// The trie of ``table``.
    public let trie: TokenTrie
    /// Tokens allowed exactly where the constraint may stop (EOS, end-of-turn).
    public let stopTokens: Set<Int>
    /// Tokens that can never pass: no bytes and not a stop token.
    public let neverAllowed: [Int]
    /// Most masks kept by state (each is vocabulary / 8 bytes).
    public let maskCacheCapacity: Int
    private let isStopTable: [Bool]
    private let lock = NSLock()
    private var masks: [AnyHashable: TokenMask] = [:]
    private var hits = 0

    /// Binds `constraint` to the vocabulary `table` (the trie is built here unless given).
    ///
    /// - Throws: ``ConstraintError/tokenOutOfRange(_:vocabularySize:)`` for a stop token outside
    ///   `table`, ``ConstraintError/vocabularyMismatch(expected:actual:)`` for a trie built from
    ///   another vocabulary size.
    public init(constraint: C, table: TokenBytes, trie: TokenTrie? = nil, stopTokens: Set<Int>,
                maskCacheCapacity: Int = 256) throws(ConstraintError) {
        var isStop = [Bool](repeating: false, count: table.count)
        for token in stopTokens {
            guard token >= 0 && token < table.count else { throw .tokenOutOfRange(token, vocabularySize: table.count) }
            isStop[token] = true
        }
        if let trie, trie.vocabularySize != table.count {
            throw .vocabularyMismatch(expected: table.count, actual: trie.vocabularySize)
        }
        self.constraint = constraint
        self.table = table
        self.trie = trie ?? TokenTrie(table)
        self.stopTokens = stopTokens
        self.maskCacheCapacity = maskCacheCapacity
        isStopTable = isStop
        neverAllowed = table.pieces.indices.filter { table.pieces[$0].isEmpty && !isStop[$0] }
    }

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { table.count }

    /// Whether `token` is one of the stop tokens (`false` outside the vocabulary).
    @inline(__always)
    public func isStop(_ token: Int) -> Bool {
        token >= 0 && token < isStopTable.count && isStopTable[token]
    }

    /// Whether `token` may follow `state`, and the state after it: tests one token without
    /// committing anything.
    ///
    /// - Throws: the constraint's ``ConstraintError`` (a state limit).
    /// - Complexity: one advance of the constraint by the token's bytes.
    @inline(__always)
    public func check(_ token: Int, after state: C.State) throws(ConstraintError) -> TokenCheck<C.State> {
        guard token >= 0 && token < table.count else { return .rejected }
        if isStopTable[token] { return constraint.canStop(state) ? .stop : .rejected }
        let bytes = table[token]
        if bytes.isEmpty { return .rejected }
        guard let next = try constraint.advance(state, by: bytes) else { return .rejected }
        return .advanced(next)
    }

    /// Every token that may follow `state`: the full mask, from the cache when this state's
    /// mask was computed before (`Hashable` states only).
    ///
    /// - Throws: the constraint's ``ConstraintError`` (a state limit).
    public func allowedTokens(after state: C.State) throws(ConstraintError) -> TokenMask {
        try mask(after: state).mask
    }

    /// The cached mask after `state`, if one was computed (never computes one; a mask found
    /// counts as a hit).
    public func cachedMask(for state: C.State) -> TokenMask? {
        guard let key = state as? AnyHashable else { return nil }
        return lock.withLock {
            let found = masks[key]
            if found != nil { hits += 1 }
            return found
        }
    }

    /// Masks served from the cache so far, by every matcher of this constraint.
    public var maskCacheHits: Int { lock.withLock { hits } }

    /// The mask after `state` and whether it came from the cache.
    func mask(after state: C.State) throws(ConstraintError) -> (mask: TokenMask, cached: Bool) {
        if let hit = cachedMask(for: state) { return (hit, true) }
        let key = state as? AnyHashable
        let mask = try constraint.allowedTokens(after: state, trie: trie, stopTokens: stopTokens)
        if let key {
            lock.withLock {
                if masks.count >= maskCacheCapacity { masks.removeAll(keepingCapacity: true) }
                masks[key] = mask
            }
        }
        return (mask, false)
    }

    /// Whether anything can follow `state`: some token keeps the constraint alive, or it may
    /// stop and a stop token exists. Stops at the first such token (O(vocabulary) advances at
    /// worst).
    ///
    /// - Throws: the constraint's ``ConstraintError`` (a state limit).
    public func anyAllowed(after state: C.State) throws(ConstraintError) -> Bool {
        if constraint.canStop(state) && !stopTokens.isEmpty { return true }
        for token in table.pieces.indices where !isStopTable[token] {
            if try check(token, after: state).passes { return true }
        }
        return false
    }
}
