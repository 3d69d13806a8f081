extension Constraint where State: Hashable {
    /// ``allowedTokens(after:trie:stopTokens:)`` for constraints with `Hashable` states:
    /// the trie walk with transitions memoized, so each distinct `(state, byte)` pair is
    /// advanced once per mask however many trie nodes reach it (inside a JSON string most of
    /// the 100 000 nodes of a 49 152-token trie share a handful of states).
    ///
    /// - Complexity: one table lookup per live trie node, plus one advance and one hash per
    ///   distinct transition.
    public func allowedTokens(after state: State, trie: TokenTrie, stopTokens: Set<Int>) throws(ConstraintError) -> TokenMask {
        var mask = TokenMask(vocabularySize: trie.vocabularySize)
        var states: [State] = [state]
        var ids: [State: Int32] = [state: 0]
        // transitions[s * 256 + byte]: next state id, -1 dead, -2 not yet computed.
        var transitions = [Int32](repeating: -2, count: 256)
        var path = [Int32](repeating: 0, count: trie.maxDepth + 1)
        var scratch = state
        let count = trie.nodeCount
        var node = 1
        while node < count {
            let depth = Int(trie.depths[node])
            let key = Int(path[depth - 1]) << 8 | Int(trie.bytes[node])
            var next = transitions[key]
            if next == -2 {
                if try advance(from: states[Int(path[depth - 1])], byte: trie.bytes[node], into: &scratch) {
                    if let known = ids[scratch] {
                        next = known
                    } else {
                        next = Int32(states.count)
                        states.append(scratch)
                        ids[scratch] = next
                        transitions.append(contentsOf: repeatElement(-2, count: 256))
                    }
                } else {
                    next = -1
                }
                transitions[key] = next
            }
            if next < 0 {
                node = Int(trie.subtreeEnds[node])
                continue
            }
            path[depth] = next
            for k in Int(trie.tokenOffsets[node])..<Int(trie.tokenOffsets[node + 1]) { mask.insert(Int(trie.tokens[k])) }
            node += 1
        }
        if canStop(state) {
            for token in stopTokens where token >= 0 && token < trie.vocabularySize { mask.insert(token) }
        }
        return mask
    }
}
