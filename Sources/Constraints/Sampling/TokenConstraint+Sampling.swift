extension TokenConstraint {
    /// ``init(constraint:table:trie:stopTokens:maskCacheCapacity:)`` with the sampling
    /// strategies' error: a stop token outside `table` is
    /// ``ConstrainedSamplingError/stopTokenOutOfRange(_:vocabularySize:)``.
    static func forSampling(_ constraint: C, table: TokenBytes,
                            stopTokens: Set<Int>) throws(ConstrainedSamplingError) -> TokenConstraint {
        do {
            return try TokenConstraint(constraint: constraint, table: table, stopTokens: stopTokens)
        } catch {
            let token = stopTokens.first { $0 < 0 || $0 >= table.count } ?? -1
            throw .stopTokenOutOfRange(token, vocabularySize: table.count)
        }
    }
}
