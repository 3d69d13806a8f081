extension RegexNode {
    /// One top-level alternative of a pattern, with its leading `^` and trailing `$` removed.
    struct AnchoredBranch {
        /// The branch's items between the anchors (anchors elsewhere are left in place).
        var items: [RegexNode]
        /// Whether the branch began with `^`.
        var anchoredStart: Bool
        /// Whether the branch ended with `$`.
        var anchoredEnd: Bool
    }

    /// The top-level alternatives of this pattern as sequences with their outer anchors split off,
    /// the shape JSON Schema's unanchored `pattern` semantics are compiled from.
    var anchoredBranches: [AnchoredBranch] {
        let branches: [RegexNode]
        if case .alternation(let alternatives) = self { branches = alternatives } else { branches = [self] }
        return branches.map { branch in
            var items: [RegexNode]
            if case .sequence(let parts) = branch { items = parts } else { items = [branch] }
            var result = AnchoredBranch(items: [], anchoredStart: false, anchoredEnd: false)
            while items.first == .start { items.removeFirst(); result.anchoredStart = true }
            while items.last == .end { items.removeLast(); result.anchoredEnd = true }
            result.items = items
            return result
        }
    }
}
