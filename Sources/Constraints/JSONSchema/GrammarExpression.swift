/// The grammar the JSON Schema compiler builds before printing it as GBNF: expressions over
/// Unicode scalars whose rendering is llama.cpp's GBNF syntax.
indirect enum GrammarExpression: Hashable, Sendable {
    /// The exact scalars of `text`.
    case literal(String)
    /// One scalar from the set.
    case characters(CodePointSet)
    /// Each part in turn; the empty sequence matches the empty string.
    case sequence([GrammarExpression])
    /// Any one alternative.
    case choice([GrammarExpression])
    /// `minimum` to `maximum` (unbounded when `nil`) repetitions.
    case repetition(GrammarExpression, minimum: Int, maximum: Int?)
    /// A named rule.
    case rule(String)

    static let empty = GrammarExpression.sequence([])

    static func optional(_ e: GrammarExpression) -> GrammarExpression { .repetition(e, minimum: 0, maximum: 1) }

    static func seq(_ parts: GrammarExpression...) -> GrammarExpression { .sequence(parts) }

    /// GBNF text of the expression (llama.cpp `grammars/README.md` syntax).
    var gbnf: String { render(atom: false) }

    private func render(atom: Bool) -> String {
        switch self {
        case .literal(let text):
            return "\"" + text.unicodeScalars.map { GrammarExpression.escape($0, inClass: false) }.joined() + "\""
        case .characters(let set):
            if set.ranges.count == 1, set.ranges[0].lowerBound == set.ranges[0].upperBound,
               let scalar = Unicode.Scalar(set.ranges[0].lowerBound) {
                return GrammarExpression.literal(String(scalar)).render(atom: atom)
            }
            return GrammarExpression.renderClass(set)
        case .sequence(let parts):
            let flat = GrammarExpression.flatten(parts)
            if flat.isEmpty { return "\"\"" }
            if flat.count == 1 { return flat[0].render(atom: atom) }
            let text = flat.map { $0.render(atom: true) }.joined(separator: " ")
            return atom ? "(" + text + ")" : text
        case .choice(let alternatives):
            if alternatives.count == 1 { return alternatives[0].render(atom: atom) }
            let text = alternatives.map { $0.render(atom: false) }.joined(separator: " | ")
            return atom ? "(" + text + ")" : text
        case .repetition(let inner, let minimum, let maximum):
            let body = inner.render(atom: true)
            switch (minimum, maximum) {
            case (0, 0): return "\"\""
            case (1, 1): return inner.render(atom: atom)
            case (0, nil): return body + "*"
            case (1, nil): return body + "+"
            case (0, 1): return body + "?"
            case (let m, nil): return body + "{\(m),}"
            case (let m, let n?) where m == n: return body + "{\(m)}"
            case (let m, let n?): return body + "{\(m),\(n)}"
            }
        case .rule(let name):
            return name
        }
    }

    private static func flatten(_ parts: [GrammarExpression]) -> [GrammarExpression] {
        parts.flatMap { part -> [GrammarExpression] in
            if case .sequence(let inner) = part { return flatten(inner) }
            if case .repetition(_, 0, 0) = part { return [] }
            return [part]
        }
    }

    private static func renderClass(_ set: CodePointSet) -> String {
        if set.ranges.count == 1, set.ranges[0].lowerBound == set.ranges[0].upperBound,
           let scalar = Unicode.Scalar(set.ranges[0].lowerBound) {
            return "[" + escape(scalar, inClass: true) + "]"
        }
        let complement = set.complement
        let useNegation = complement.ranges.count < set.ranges.count
        let shown = useNegation ? complement : set
        var text = useNegation ? "[^" : "["
        for range in shown.ranges {
            guard let lo = Unicode.Scalar(range.lowerBound), let hi = Unicode.Scalar(range.upperBound) else { continue }
            text += escape(lo, inClass: true)
            if hi != lo { text += "-" + escape(hi, inClass: true) }
        }
        return text + "]"
    }

    private static func escape(_ scalar: Unicode.Scalar, inClass: Bool) -> String {
        switch scalar {
        case "\\": return "\\\\"
        case "\"": return "\\\""
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "]" where inClass, "[" where inClass, "-" where inClass, "^" where inClass:
            return "\\x" + hex(scalar.value, width: 2)
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F { return "\\x" + hex(scalar.value, width: 2) }
            if scalar.value >= 0x80 && scalar.value <= 0xFFFF && !scalar.properties.isAlphabetic {
                return "\\u" + hex(scalar.value, width: 4)
            }
            if scalar.value > 0xFFFF { return "\\U" + hex(scalar.value, width: 8) }
            return String(scalar)
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
