import Decoding

/// A ``LogitProcessor`` that masks every token the constraint does not allow after the
/// sequence so far: the full mask of locally constrained decoding (sampling from
/// `p(t | prefix) · 1[t allowed]`, renormalized).
///
/// The constrained text starts after the first `prefixLength` tokens of the history (the
/// prompt). The processor derives the constraint state from the history it is given, caching
/// the last one, so it works both in a generation loop (the history grows by one token per
/// call: one advance) and when the same chain is applied to unrelated histories (exact
/// enumeration: recomputed from the start).
///
/// Masks are cached by state when the state is `Hashable` (up to ``maskCacheCapacity``
/// states; the cache is cleared when full): inside a JSON string, or any loop of a grammar,
/// the state repeats and the mask is computed once.
///
/// Place it first in a chain so later truncation (top-k, top-p) sees only allowed tokens.
public struct ConstraintMask<C: Constraint>: LogitProcessor {
    /// The constraint.
    public let constraint: C
    /// The vocabulary's token bytes.
    public let table: TokenBytes
    /// The trie of `table`.
    public let trie: TokenTrie
    /// Tokens allowed exactly where the constraint may stop (EOS, end-of-turn).
    public let stopTokens: Set<Int>
    /// Number of leading history tokens (the prompt) outside the constraint.
    public var prefixLength: Int
    /// Most masks kept by state (each is vocabulary / 8 bytes).
    public var maskCacheCapacity = 256
    /// Masks served from the cache so far.
    public private(set) var maskCacheHits = 0
    private var cachedTokens: [Int] = []
    private var cachedState: C.State
    /// Masks by the hash of their state (states compared as `AnyHashable` on lookup).
    private var masks: [Int: [(state: C.State, mask: TokenMask)]] = [:]
    private var maskCount = 0

    /// A mask for `constraint` over the vocabulary `table` (the trie is built here unless given).
    public init(constraint: C, table: TokenBytes, trie: TokenTrie? = nil, stopTokens: Set<Int>, prefixLength: Int) {
        self.constraint = constraint
        self.table = table
        self.trie = trie ?? TokenTrie(table)
        self.stopTokens = stopTokens
        self.prefixLength = prefixLength
        cachedState = constraint.start
    }

    /// `constraint`.
    public var name: String { "constraint" }

    /// The constraint state after `history` (prompt excluded).
    ///
    /// - Throws: ``ConstraintError/rejectedToken(_:position:)`` if the history holds a token
    ///   the constraint rejects, ``ConstraintError/tokenOutOfRange(_:vocabularySize:)``.
    public mutating func state(after history: [Int]) throws(ConstraintError) -> C.State {
        let constrained = history.count > prefixLength ? Array(history[prefixLength...]) : []
        if constrained.count < cachedTokens.count || !constrained.starts(with: cachedTokens) {
            cachedTokens = []
            cachedState = constraint.start
        }
        while cachedTokens.count < constrained.count {
            let token = constrained[cachedTokens.count]
            guard token >= 0, token < table.count else {
                throw .tokenOutOfRange(token, vocabularySize: table.count)
            }
            guard let next = try constraint.advance(cachedState, by: table[token]) else {
                throw .rejectedToken(token, position: cachedTokens.count)
            }
            cachedState = next
            cachedTokens.append(token)
        }
        return cachedState
    }

    /// Masks the tokens the constraint does not allow after `history`.
    ///
    /// - Throws: ``ConstraintError/deadEnd(position:)`` when nothing is allowed, the errors of
    ///   ``state(after:)``, ``ConstraintError/vocabularyMismatch(expected:actual:)``.
    public mutating func apply(to logits: inout Logits, history: [Int]) throws {
        let state = try state(after: history)
        let key = (state as? AnyHashable).map { ($0, $0.hashValue) }
        if let (hashable, hash) = key, let hit = masks[hash]?.first(where: { ($0.state as? AnyHashable) == hashable }) {
            maskCacheHits += 1
            try logits.apply(hit.mask)
            return
        }
        let mask = try constraint.requireAllowedTokens(after: state, trie: trie, stopTokens: stopTokens,
                                                       position: cachedTokens.count)
        if let (_, hash) = key {
            if maskCount >= maskCacheCapacity {
                masks.removeAll(keepingCapacity: true)
                maskCount = 0
            }
            masks[hash, default: []].append((state, mask))
            maskCount += 1
        }
        try logits.apply(mask)
    }

    /// Forgets the cached state (cached masks stay valid: they depend on the state only).
    public mutating func reset() {
        cachedTokens = []
        cachedState = constraint.start
    }
}
