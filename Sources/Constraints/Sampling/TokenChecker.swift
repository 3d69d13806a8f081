/// The constraint check `c(t)` of AWRS and SMC for one token after a constraint state: a stop
/// token passes where the constraint may stop, a token without bytes never passes, any other
/// passes when its bytes keep the constraint alive.
struct TokenChecker<C: Constraint>: Sendable {
    let constraint: C
    let table: TokenBytes
    /// `isStop[t]` for every token.
    let isStop: [Bool]
    /// Tokens that can never pass (no bytes, not a stop token).
    let neverAllowed: [Int]
    /// The stop tokens.
    let stopTokens: Set<Int>
    /// The trie of `table`, for full masks (``DrawChecks``).
    let trie: TokenTrie

    /// - Throws: ``ConstrainedSamplingError/stopTokenOutOfRange(_:vocabularySize:)``.
    init(constraint: C, table: TokenBytes, stopTokens: Set<Int>) throws(ConstrainedSamplingError) {
        var isStop = [Bool](repeating: false, count: table.count)
        for token in stopTokens {
            guard token >= 0 && token < table.count else {
                throw .stopTokenOutOfRange(token, vocabularySize: table.count)
            }
            isStop[token] = true
        }
        self.constraint = constraint
        self.table = table
        self.isStop = isStop
        self.stopTokens = stopTokens
        neverAllowed = table.pieces.indices.filter { table.pieces[$0].isEmpty && !isStop[$0] }
        trie = TokenTrie(table)
    }

    /// Every token that passes after `state`: the full mask (one trie walk).
    func allowedTokens(after state: C.State) throws(ConstraintError) -> TokenMask {
        try constraint.allowedTokens(after: state, trie: trie, stopTokens: stopTokens)
    }

    /// Whether `token` may follow `state`; when it may and is not a stop token, `next` is the
    /// state after it.
    @inline(__always)
    func check(_ token: Int, after state: C.State, next: inout C.State?) throws(ConstraintError) -> Bool {
        guard token >= 0 && token < table.count else { return false }
        if isStop[token] { return constraint.canStop(state) }
        let bytes = table[token]
        if bytes.isEmpty { return false }
        guard let advanced = try constraint.advance(state, by: bytes) else { return false }
        next = advanced
        return true
    }

    /// Whether anything can follow `state`: some token keeps the constraint alive, or it may
    /// stop. Stops at the first such token (O(vocabulary) advances at worst).
    func anyAllowed(after state: C.State) throws(ConstraintError) -> Bool {
        if constraint.canStop(state) && isStop.contains(true) { return true }
        var next: C.State?
        for token in table.pieces.indices where !isStop[token] {
            if try check(token, after: state, next: &next) { return true }
        }
        return false
    }
}
