/// A parsed regular expression in the subset the JSON Schema compiler turns into grammar:
/// ECMA-262 literals, escapes, classes, groups, alternation, greedy or lazy quantifiers, and
/// `^`/`$` anchors.
indirect enum RegexNode: Hashable, Sendable {
    case characters(CodePointSet)
    case sequence([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, minimum: Int, maximum: Int?)
    case start
    case end

    /// Shortest and longest match length in code points (`nil`: unbounded).
    var lengthRange: (minimum: Int, maximum: Int?) {
        switch self {
        case .characters: return (1, 1)
        case .start, .end: return (0, 0)
        case .sequence(let parts):
            var lo = 0
            var hi: Int? = 0
            for part in parts {
                let r = part.lengthRange
                lo = saturating(lo, r.minimum) { $0.addingReportingOverflow($1) }
                if let h = hi, let m = r.maximum { hi = saturating(h, m) { $0.addingReportingOverflow($1) } } else { hi = nil }
            }
            return (lo, hi)
        case .alternation(let branches):
            let ranges = branches.map(\.lengthRange)
            let lo = ranges.map(\.minimum).min() ?? 0
            let hi: Int? = ranges.contains { $0.maximum == nil } ? nil : ranges.compactMap(\.maximum).max() ?? 0
            return (lo, hi)
        case .repetition(let inner, let minimum, let maximum):
            let r = inner.lengthRange
            var hi: Int?
            if let count = maximum, let each = r.maximum { hi = saturating(count, each) { $0.multipliedReportingOverflow(by: $1) } } else { hi = r.maximum == 0 ? 0 : nil }
            return (saturating(minimum, r.minimum) { $0.multipliedReportingOverflow(by: $1) }, hi)
        }
    }
}

/// `a op b`, or `Int.max` when it overflows (lengths from quantifiers like `{99999999999}`).
private func saturating(_ a: Int, _ b: Int, _ op: (Int, Int) -> (partialValue: Int, overflow: Bool)) -> Int {
    let (value, overflow) = op(a, b)
    return overflow ? Int.max : value
}

/// Why a pattern could not be parsed or compiled.
enum RegexProblem: Error {
    /// Not a valid regular expression.
    case invalid(String)
    /// Valid, but outside the compiled subset (lookaround, backreferences, word boundaries…).
    case unsupported(String)
}

extension RegexNode {
    /// The same language without the empty string (`nil` when nothing remains), so that a
    /// repetition never repeats something that can match nothing (a left-recursive grammar).
    var nonEmpty: RegexNode? {
        switch self {
        case .characters: return self
        case .start, .end: return nil
        case .alternation(let branches):
            let kept = branches.compactMap(\.nonEmpty)
            return kept.isEmpty ? nil : (kept.count == 1 ? kept[0] : .alternation(kept))
        case .repetition(let inner, let minimum, let maximum):
            if maximum == 0 { return nil }
            guard let core = inner.nonEmpty else { return nil }
            if inner.lengthRange.minimum > 0, minimum > 0 { return self }
            return .repetition(core, minimum: 1, maximum: maximum)
        case .sequence(let parts):
            if parts.contains(where: { $0.lengthRange.minimum > 0 }) { return self }
            guard let head = parts.first else { return nil }
            let rest = Array(parts.dropFirst())
            var branches: [RegexNode] = []
            if let h = head.nonEmpty { branches.append(.sequence([h] + rest)) }
            if let r = RegexNode.sequence(rest).nonEmpty { branches.append(r) }
            return branches.isEmpty ? nil : (branches.count == 1 ? branches[0] : .alternation(branches))
        }
    }
}
