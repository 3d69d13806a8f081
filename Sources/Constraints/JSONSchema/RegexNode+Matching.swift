extension RegexNode {
    /// Whether the pattern matches somewhere in `text` (JSON Schema's search semantics, with
    /// `^`/`$` at the text's ends). Backtracking: for the short literal values of `enum`s and
    /// property names, not for long texts.
    func search(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars.map(\.value))
        for start in 0...scalars.count where match(scalars, start, { _ in true }) { return true }
        return false
    }

    private func match(_ s: [UInt32], _ i: Int, _ next: (Int) -> Bool) -> Bool {
        switch self {
        case .characters(let set): return i < s.count && set.contains(s[i]) && next(i + 1)
        case .start: return i == 0 && next(i)
        case .end: return i == s.count && next(i)
        case .sequence(let parts): return Self.matchSequence(parts[...], s, i, next)
        case .alternation(let branches): return branches.contains { $0.match(s, i, next) }
        case .repetition(let inner, let minimum, let maximum):
            return matchRepetition(inner, minimum, maximum, count: 0, s, i, next)
        }
    }

    private static func matchSequence(_ parts: ArraySlice<RegexNode>, _ s: [UInt32], _ i: Int, _ next: (Int) -> Bool) -> Bool {
        guard let first = parts.first else { return next(i) }
        return first.match(s, i) { j in matchSequence(parts.dropFirst(), s, j, next) }
    }

    private func matchRepetition(_ inner: RegexNode, _ minimum: Int, _ maximum: Int?, count: Int, _ s: [UInt32], _ i: Int, _ next: (Int) -> Bool) -> Bool {
        if count >= minimum, next(i) { return true }
        if let maximum, count >= maximum { return false }
        return inner.match(s, i) { j in
            j > i && matchRepetition(inner, minimum, maximum, count: count + 1, s, j, next)
        }
    }
}
