import Foundation

/// The transitions between ``GrammarState``s that mask walks have learned, kept across walks:
/// states are numbered once and `(state, byte)` steps advanced once, so once warm a mask is a
/// walk of table lookups (inside a JSON string, or after any state seen before, no pushdown
/// advance at all). Shared by every copy of a ``GrammarConstraint``; one walk at a time (a lock),
/// and emptied at the start of a walk once it holds ``capacity`` states.
final class GrammarTransitionCache: @unchecked Sendable {
    /// Most states kept (each costs 1 KiB of transitions).
    let capacity: Int
    private let lock = NSLock()
    private var tables = Tables()

    /// The numbered states and their transitions.
    struct Tables {
        var ids: [GrammarState: Int32] = [:]
        var states: [GrammarState] = []
        /// `transitions[id << 8 | byte]`: the next state's id, -1 dead, -2 not yet advanced.
        var transitions: [Int32] = []

        /// The id of `state`, numbering it if new.
        mutating func id(of state: GrammarState) -> Int32 {
            if let id = ids[state] { return id }
            let id = Int32(states.count)
            ids[state] = id
            states.append(state)
            transitions.append(contentsOf: repeatElement(-2, count: 256))
            return id
        }
    }

    init(capacity: Int = 16_384) {
        self.capacity = capacity
    }

    /// Runs `body` with the tables, exclusively (moved out and back, so `body` owns them uniquely).
    func withTables<R>(_ body: (inout Tables) throws(ConstraintError) -> R) throws(ConstraintError) -> R {
        lock.lock()
        defer { lock.unlock() }
        var local = Tables()
        swap(&local, &tables)
        defer { swap(&local, &tables) }
        if local.states.count >= capacity { local = Tables() }
        return try body(&local)
    }
}

extension GrammarConstraint {
    /// The tokens that may follow `state`: the trie walk over the shared transition cache, one
    /// table lookup per live trie node once the transitions are known, one pushdown advance per
    /// `(state, byte)` pair the first time any walk meets it.
    ///
    /// - Throws: ``ConstraintError/stateLimitExceeded(limit:)`` or
    ///   ``ConstraintError/stackDepthExceeded(limit:)`` from an advance.
    public func allowedTokens(after state: GrammarState, trie: TokenTrie, stopTokens: Set<Int>) throws(ConstraintError) -> TokenMask {
        var mask = TokenMask(vocabularySize: trie.vocabularySize)
        try transitions.withTables { (tables) throws(ConstraintError) in
            var path = [Int32](repeating: 0, count: trie.maxDepth + 1)
            path[0] = tables.id(of: state)
            var scratch = state
            let count = trie.nodeCount
            var node = 1
            while node < count {
                let depth = Int(trie.depths[node])
                let parent = path[depth - 1]
                let byte = trie.bytes[node]
                let key = Int(parent) << 8 | Int(byte)
                var next = tables.transitions[key]
                if next == -2 {
                    if try advance(from: tables.states[Int(parent)], byte: byte, into: &scratch) {
                        next = tables.id(of: scratch)
                    } else {
                        next = -1
                    }
                    tables.transitions[key] = next
                }
                if next < 0 {
                    node = Int(trie.subtreeEnds[node])
                    continue
                }
                path[depth] = next
                for k in Int(trie.tokenOffsets[node])..<Int(trie.tokenOffsets[node + 1]) { mask.insert(Int(trie.tokens[k])) }
                node += 1
            }
        }
        if canStop(state) {
            for token in stopTokens where token >= 0 && token < trie.vocabularySize { mask.insert(token) }
        }
        return mask
    }
}
