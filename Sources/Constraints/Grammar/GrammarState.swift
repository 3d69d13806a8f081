/// The state of a ``GrammarConstraint``: the set of live pushdown stacks after the bytes read.
///
/// Stacks are stored one after another in one `Int32` buffer as `[count, bottom, …, top]`; each
/// entry is the index of a grammar element (the top a terminal still to match, the others
/// return positions). An empty stack means the root rule is complete. Copying a state copies
/// one array (copy-on-write); ``Constraint/advance(from:byte:into:)`` reuses the target's
/// storage.
public struct GrammarState: Sendable, Hashable {
    /// `[count, elements…]` per stack.
    var words: [Int32]

    init(words: [Int32]) {
        self.words = words
    }

    /// Number of live stacks.
    public var stackCount: Int {
        var n = 0
        var i = 0
        while i < words.count {
            n += 1
            i += Int(words[i]) + 1
        }
        return n
    }

    /// Whether no stack is live (the bytes read cannot be continued); a dead state is never
    /// returned by the recognizer, which returns `nil`/`false` instead.
    public var isDead: Bool { words.isEmpty }
}
