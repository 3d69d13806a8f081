extension Constraint {
    /// The tokens that may follow `state`: those whose bytes keep the constraint alive, plus
    /// the stop tokens when the constraint may stop here (locally constrained decoding's mask).
    ///
    /// Walks `trie` depth first, advancing the state along each edge once and skipping every
    /// subtree under a byte that kills it, so shared prefixes cost one advance. One state per
    /// depth is kept and reused, so the walk allocates only while the states first grow.
    ///
    /// - Parameters:
    ///   - stopTokens: ids allowed exactly when ``canStop(_:)`` (EOS, end-of-turn).
    /// - Throws: the constraint's ``ConstraintError`` (a state limit).
    /// - Complexity: one ``advance(from:byte:into:)`` per live trie node.
    public func allowedTokens(after state: State, trie: TokenTrie, stopTokens: Set<Int>) throws(ConstraintError) -> TokenMask {
        try walkAllowedTokens(after: state, trie: trie, stopTokens: stopTokens)
    }

    /// The plain trie walk behind ``allowedTokens(after:trie:stopTokens:)``.
    public func walkAllowedTokens(after state: State, trie: TokenTrie, stopTokens: Set<Int>) throws(ConstraintError) -> TokenMask {
        var mask = TokenMask(vocabularySize: trie.vocabularySize)
        var states = [State](repeating: state, count: trie.maxDepth + 1)
        let count = trie.nodeCount
        var node = 1
        try trie.bytes.withUnsafeBufferPointer { (bytes) throws(ConstraintError) in
            try trie.depths.withUnsafeBufferPointer { (depths) throws(ConstraintError) in
                try trie.subtreeEnds.withUnsafeBufferPointer { (ends) throws(ConstraintError) in
                    try trie.tokenOffsets.withUnsafeBufferPointer { (offsets) throws(ConstraintError) in
                        try trie.tokens.withUnsafeBufferPointer { (tokens) throws(ConstraintError) in
                            while node < count {
                                let depth = Int(depths[node])
                                let alive = try states.withUnsafeMutableBufferPointer { (s) throws(ConstraintError) -> Bool in
                                    try advance(from: s[depth - 1], byte: bytes[node], into: &s[depth])
                                }
                                if alive {
                                    for k in Int(offsets[node])..<Int(offsets[node + 1]) { mask.insert(Int(tokens[k])) }
                                    node += 1
                                } else {
                                    node = Int(ends[node])
                                }
                            }
                        }
                    }
                }
            }
        }
        if canStop(state) {
            for token in stopTokens where token >= 0 && token < trie.vocabularySize { mask.insert(token) }
        }
        return mask
    }
}

extension Constraint {
    /// ``allowedTokens(after:trie:stopTokens:)``, throwing when nothing is allowed.
    ///
    /// - Throws: ``ConstraintError/deadEnd(position:)`` with `position` (the number of tokens
    ///   generated under the constraint) when no token keeps the constraint alive and it may
    ///   not stop (or may stop but no stop token was given).
    public func requireAllowedTokens(after state: State, trie: TokenTrie, stopTokens: Set<Int>,
                                     position: Int) throws(ConstraintError) -> TokenMask {
        let mask = try allowedTokens(after: state, trie: trie, stopTokens: stopTokens)
        if mask.isEmpty { throw .deadEnd(position: position) }
        return mask
    }
}
