/// Parses ECMA-262 pattern text (JSON Schema's `pattern` dialect) into ``RegexNode``s.
///
/// Character class shorthands follow the ASCII (ECMA-262) meaning; where ECMA-262 and the
/// Unicode-aware engines many validators use (Python's `re`) differ — `\D`, `\W`, `\S` and
/// negated classes holding `\d`, `\w`, `\s` — the set is narrowed to ASCII so that it lies
/// within both.
///
/// With ``Dialect/pcre2(dot:)`` the same subset is read with PCRE2's meaning (UTF mode, no
/// `(*UCP)`): `.` is the given set, and `\D`, `\W`, `\S` and negated classes are full
/// complements. The caller screens out the constructs whose syntax differs between the two
/// (``RegexAutomaton``).
struct RegexParser {
    /// Whose meaning the shared syntax has.
    enum Dialect {
        /// ECMA-262, as JSON Schema's `pattern` (narrowed to what Python's `re` agrees with).
        case ecma
        /// PCRE2 in UTF mode without `(*UCP)`; `dot` is what `.` matches.
        case pcre2(dot: CodePointSet)
    }

    private let scalars: [Unicode.Scalar]
    private let dialect: Dialect
    private var index = 0

    static func parse(_ pattern: String, dialect: Dialect = .ecma) throws(RegexProblem) -> RegexNode {
        var parser = RegexParser(scalars: Array(pattern.unicodeScalars), dialect: dialect)
        let node = try parser.parseAlternation()
        if parser.index < parser.scalars.count { throw .invalid("unbalanced ')' at \(parser.index)") }
        return node
    }

    private init(scalars: [Unicode.Scalar], dialect: Dialect) {
        self.scalars = scalars
        self.dialect = dialect
    }

    /// Whether shorthand complements and negated classes are narrowed to ASCII.
    private var narrowsComplements: Bool {
        if case .ecma = dialect { return true }
        return false
    }

    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func parseAlternation() throws(RegexProblem) -> RegexNode {
        var branches = [try parseSequence()]
        while peek == "|" {
            index += 1
            branches.append(try parseSequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseSequence() throws(RegexProblem) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek, c != "|", c != ")" {
            var atom = try parseAtom()
            if let (minimum, maximum) = try parseQuantifier() {
                if case .start = atom { throw .unsupported("quantified anchor") }
                if case .end = atom { throw .unsupported("quantified anchor") }
                atom = .repetition(atom, minimum: minimum, maximum: maximum)
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private mutating func parseQuantifier() throws(RegexProblem) -> (Int, Int?)? {
        guard let c = peek else { return nil }
        var result: (Int, Int?)
        switch c {
        case "*": index += 1; result = (0, nil)
        case "+": index += 1; result = (1, nil)
        case "?": index += 1; result = (0, 1)
        case "{":
            guard let braced = braceQuantifier(at: index) else { return nil }
            result = (braced.minimum, braced.maximum)
            index = braced.next
        default: return nil
        }
        if peek == "?" { index += 1 }
        if peek == "*" || peek == "+" || peek == "?" { throw .invalid("nothing to repeat at \(index)") }
        if let maximum = result.1, maximum < result.0 { throw .invalid("{\(result.0),\(maximum)} out of order") }
        return result
    }

    /// `{n}`, `{n,}`, `{n,m}` starting at `start`, or `nil` when the brace is a literal.
    private func braceQuantifier(at start: Int) -> (minimum: Int, maximum: Int?, next: Int)? {
        var i = start + 1
        func number() -> Int? {
            var digits = ""
            while i < scalars.count, ("0"..."9").contains(scalars[i]) { digits.unicodeScalars.append(scalars[i]); i += 1 }
            return digits.isEmpty ? nil : (Int(digits) ?? Int.max)
        }
        guard let minimum = number() else { return nil }
        var maximum: Int? = minimum
        if i < scalars.count, scalars[i] == "," {
            i += 1
            maximum = number()
        }
        guard i < scalars.count, scalars[i] == "}" else { return nil }
        return (minimum, maximum, i + 1)
    }

    private mutating func parseAtom() throws(RegexProblem) -> RegexNode {
        guard let c = peek else { throw .invalid("unexpected end") }
        index += 1
        switch c {
        case "(":
            if peek == "?" {
                index += 1
                guard let kind = peek else { throw .invalid("unterminated group") }
                if kind == ":" {
                    index += 1
                } else if kind == "<", index + 1 < scalars.count, scalars[index + 1] != "=", scalars[index + 1] != "!" {
                    while let n = peek, n != ">" { index += 1 }
                    guard peek == ">" else { throw .invalid("unterminated group name") }
                    index += 1
                } else {
                    throw .unsupported("lookaround or group flags (?\(kind)")
                }
            }
            let inner = try parseAlternation()
            guard peek == ")" else { throw .invalid("missing ')'") }
            index += 1
            return inner
        case "[": return .characters(try parseClass())
        case ".":
            if case .pcre2(let dot) = dialect { return .characters(dot) }
            return .characters(CodePointSet.all.subtracting(CodePointSet(ranges: [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029])))
        case "^": return .start
        case "$": return .end
        case "\\": return .characters(try parseEscape(inClass: false).set)
        case "*", "+", "?": throw .invalid("nothing to repeat at \(index - 1)")
        case ")": throw .invalid("unbalanced ')'")
        case "{":
            if braceQuantifier(at: index - 1) != nil { throw .invalid("nothing to repeat at \(index - 1)") }
            return .characters(CodePointSet(scalar: c))
        default: return .characters(CodePointSet(scalar: c))
        }
    }

    /// An escape after the backslash: its set, and whether it was a class shorthand.
    private mutating func parseEscape(inClass: Bool) throws(RegexProblem) -> (set: CodePointSet, shorthand: Bool) {
        guard let c = peek else { throw .invalid("trailing backslash") }
        index += 1
        switch c {
        case "d": return (.digits, true)
        case "w": return (.wordCharacters, true)
        case "s": return (.whitespace, true)
        case "D": return ((narrowsComplements ? CodePointSet.ascii : .all).subtracting(.digits), true)
        case "W": return ((narrowsComplements ? CodePointSet.ascii : .all).subtracting(.wordCharacters), true)
        case "S": return ((narrowsComplements ? CodePointSet.ascii : .all).subtracting(.whitespace), true)
        case "t": return (CodePointSet(scalar: "\t"), false)
        case "n": return (CodePointSet(scalar: "\n"), false)
        case "r": return (CodePointSet(scalar: "\r"), false)
        case "f": return (CodePointSet(scalar: "\u{0C}"), false)
        case "v": return (CodePointSet(scalar: "\u{0B}"), false)
        case "0": return (CodePointSet(scalar: "\u{00}"), false)
        case "b" where inClass: return (CodePointSet(scalar: "\u{08}"), false)
        case "b", "B": throw .unsupported("word boundary \\\(c)")
        case "1"..."9": throw .unsupported("backreference \\\(c)")
        case "x":
            let value = try hexDigits(2)
            return (CodePointSet(ranges: [value...value]), false)
        case "u":
            if peek == "{" {
                index += 1
                var value: UInt32 = 0
                while let h = peek, h != "}" {
                    guard let d = UInt32(String(h), radix: 16), value < 0x110000 else {
                        throw .invalid("bad \\u{…} escape")
                    }
                    value = value &* 16 &+ d
                    index += 1
                }
                guard peek == "}" else { throw .invalid("unterminated \\u{…} escape") }
                index += 1
                guard value <= 0x10FFFF else { throw .invalid("\\u{…} out of range") }
                return (CodePointSet(ranges: [value...value]), false)
            }
            let value = try hexDigits(4)
            return (CodePointSet(ranges: [value...value]), false)
        case "c", "k", "p", "P": throw .unsupported("escape \\\(c)")
        default:
            if c.properties.isAlphabetic || ("0"..."9").contains(c) { throw .unsupported("escape \\\(c)") }
            return (CodePointSet(scalar: c), false)
        }
    }

    /// Reads `count` hex digits.
    private mutating func hexDigits(_ count: Int) throws(RegexProblem) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let c = peek, let d = UInt32(String(c), radix: 16) else { throw .invalid("bad hex escape") }
            value = value * 16 + d
            index += 1
        }
        return value
    }

    private mutating func parseClass() throws(RegexProblem) -> CodePointSet {
        var negated = false
        if peek == "^" { negated = true; index += 1 }
        var set = CodePointSet.empty
        var sawShorthand = false
        while true {
            guard let c = peek else { throw .invalid("missing ']'") }
            if c == "]" { index += 1; break }
            let (low, lowIsShorthand) = try classAtom()
            sawShorthand = sawShorthand || lowIsShorthand
            if peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                index += 1
                let (high, highIsShorthand) = try classAtom()
                sawShorthand = sawShorthand || highIsShorthand
                if lowIsShorthand || highIsShorthand {
                    set = set.union(low).union(high).union(CodePointSet(scalar: "-"))
                } else {
                    guard let lo = low.ranges.first?.lowerBound, let hi = high.ranges.first?.lowerBound, lo <= hi else {
                        throw .invalid("class range out of order")
                    }
                    set = set.union(CodePointSet(ranges: [lo...hi]))
                }
            } else {
                set = set.union(low)
            }
        }
        guard negated else { return set }
        let complement = set.complement
        return sawShorthand && narrowsComplements ? complement.intersection(.ascii) : complement
    }

    private mutating func classAtom() throws(RegexProblem) -> (CodePointSet, Bool) {
        guard let c = peek else { throw .invalid("missing ']'") }
        index += 1
        if c == "\\" {
            let (set, shorthand) = try parseEscape(inClass: true)
            return (set, shorthand)
        }
        return (CodePointSet(scalar: c), false)
    }
}
