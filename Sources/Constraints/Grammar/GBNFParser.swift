/// Parses GBNF text (llama.cpp's grammar format, `grammars/README.md`) into ``GBNFSyntax``.
///
/// Syntax: `name ::= body` rules separated by newlines; names are letters, digits, `-` and `_`;
/// bodies are alternatives (`|`) of sequences of `"literals"`, `[classes]`, `[^negated]`, `.`,
/// rule names and `( groups )`, each optionally followed by `*`, `+`, `?`, `{m}`, `{m,}` or
/// `{m,n}`. Escapes: `\n \t \r \\ \" \[ \] \- \xHH \uHHHH \UHHHHHHHH`. `#` starts a comment.
/// Newlines continue a rule inside parentheses, after `::=` and after `|`.
struct GBNFParser {
    private let scalars: [Unicode.Scalar]
    private let lineStarts: [Int]
    private var index = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        var starts = [0]
        for (i, s) in scalars.enumerated() where s == "\n" { starts.append(i + 1) }
        lineStarts = starts
    }

    /// Parses the whole text.
    mutating func parse() throws(GrammarError) -> GBNFSyntax {
        var rules: [GBNFSyntax.Rule] = []
        skipSpace(newlines: true)
        while index < scalars.count {
            rules.append(try parseRule())
        }
        return GBNFSyntax(rules: rules)
    }

    // MARK: - Positions

    func location(_ i: Int) -> GrammarLocation {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= i { lo = mid } else { hi = mid - 1 }
        }
        return GrammarLocation(line: lo + 1, column: i - lineStarts[lo] + 1)
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_": return true
        default: return false
        }
    }

    private mutating func skipSpace(newlines: Bool) {
        while let s = current {
            if s == " " || s == "\t" || (newlines && (s == "\n" || s == "\r")) {
                index += 1
            } else if s == "#" {
                while let c = current, c != "\n", c != "\r" { index += 1 }
            } else {
                return
            }
        }
    }

    // MARK: - Rules and expressions

    private mutating func parseRule() throws(GrammarError) -> GBNFSyntax.Rule {
        let start = index
        let name = parseName()
        guard !name.isEmpty else { throw .expectedRuleName(at: location(start)) }
        skipSpace(newlines: false)
        guard current == ":", peek(1) == ":", peek(2) == "=" else {
            throw .expectedDefinition(rule: name, at: location(index))
        }
        index += 3
        skipSpace(newlines: true)
        let bodyStart = index
        let alternatives = try parseAlternatives(nested: false)
        if alternatives.allSatisfy(\.isEmpty) { throw .emptyAlternation(at: location(bodyStart)) }
        switch current {
        case nil:
            break
        case "\n", "\r":
            index += 1
        case ")":
            throw .unmatchedClosingParenthesis(at: location(index))
        case "<", "!":
            throw .unsupportedTokenReference(at: location(index))
        case let s?:
            if s == "]" || s == "}" || s == "|" { throw .unexpectedCharacter(String(s), at: location(index)) }
            throw .expectedNewline(at: location(index))
        }
        skipSpace(newlines: true)
        return GBNFSyntax.Rule(name: name, alternatives: alternatives, location: location(start))
    }

    private mutating func parseName() -> String {
        var name = String.UnicodeScalarView()
        while let s = current, Self.isNameScalar(s) {
            name.append(s)
            index += 1
        }
        return String(name)
    }

    private mutating func parseAlternatives(nested: Bool) throws(GrammarError) -> [[GBNFSyntax.Item]] {
        var alternatives = [try parseSequence(nested: nested)]
        while current == "|" {
            index += 1
            skipSpace(newlines: true)
            alternatives.append(try parseSequence(nested: nested))
        }
        return alternatives
    }

    private mutating func parseSequence(nested: Bool) throws(GrammarError) -> [GBNFSyntax.Item] {
        var items: [GBNFSyntax.Item] = []
        while let s = current {
            let start = index
            let at = location(start)
            switch s {
            case "\"":
                index += 1
                var codePoints: [UInt32] = []
                while current != "\"" {
                    guard current != nil else { throw .unterminatedLiteral(at: at) }
                    codePoints.append(try parseChar())
                }
                index += 1
                items.append(.init(atom: .literal(codePoints), location: at))
            case "[":
                items.append(.init(atom: .characterClass(try parseClass()), location: at))
            case ".":
                index += 1
                items.append(.init(atom: .characterClass(.all), location: at))
            case "(":
                index += 1
                skipSpace(newlines: true)
                let alternatives = try parseAlternatives(nested: true)
                guard current == ")" else {
                    if current == nil { throw .unclosedParenthesis(at: at) }
                    if current == "<" || current == "!" { throw .unsupportedTokenReference(at: location(index)) }
                    throw .unexpectedCharacter(String(current!), at: location(index))
                }
                if alternatives.allSatisfy(\.isEmpty) { throw .emptyAlternation(at: at) }
                index += 1
                items.append(.init(atom: .group(alternatives), location: at))
            case "*", "+", "?", "{":
                guard let last = items.popLast() else { throw .missingRepetitionOperand(at: at) }
                let (min, max) = try parseRepetition()
                items.append(.init(atom: .repetition(last, min: min, max: max), location: last.location))
            case "<", "!":
                throw .unsupportedTokenReference(at: at)
            default:
                guard Self.isNameScalar(s) else { return items }
                items.append(.init(atom: .reference(parseName()), location: at))
            }
            skipSpace(newlines: nested)
        }
        return items
    }

    /// Parses `*`, `+`, `?`, `{m}`, `{m,}` or `{m,n}` at the current position.
    private mutating func parseRepetition() throws(GrammarError) -> (Int, Int?) {
        let start = index
        let s = scalars[index]
        index += 1
        switch s {
        case "*": return (0, nil)
        case "+": return (1, nil)
        case "?": return (0, 1)
        default: break
        }
        skipSpace(newlines: false)
        guard let min = try parseInt() else { throw .badRepetition("expected a count after '{'", at: location(index)) }
        skipSpace(newlines: false)
        var max: Int? = min
        if current == "," {
            index += 1
            skipSpace(newlines: false)
            max = try parseInt()
            skipSpace(newlines: false)
        }
        guard current == "}" else { throw .badRepetition("expected '}'", at: location(index)) }
        index += 1
        if let max, max < min {
            throw .badRepetition("minimum \(min) exceeds maximum \(max)", at: location(start))
        }
        return (min, max)
    }

    private mutating func parseInt() throws(GrammarError) -> Int? {
        let start = index
        var value = 0
        while let s = current, ("0"..."9").contains(s) {
            let (product, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = product.addingReportingOverflow(Int(s.value - 48))
            if o1 || o2 { throw .badRepetition("count too large", at: location(start)) }
            value = sum
            index += 1
        }
        return index == start ? nil : value
    }

    /// Parses a `[…]` class (the current scalar is `[`) into a set without surrogates.
    private mutating func parseClass() throws(GrammarError) -> CodePointSet {
        let open = location(index)
        index += 1
        var negated = false
        if current == "^" {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        while current != "]" {
            guard current != nil else { throw .unterminatedCharacterClass(at: open) }
            let charStart = index
            let low = try parseChar()
            if current == "-", let next = peek(1), next != "]" {
                index += 1
                let high = try parseChar()
                guard low <= high else { throw .invalidRange(from: low, to: high, at: location(charStart)) }
                ranges.append(low...high)
            } else {
                ranges.append(low...low)
            }
            if current == nil { throw .unterminatedCharacterClass(at: open) }
        }
        index += 1
        let set = CodePointSet(ranges: ranges)
        let normalized = negated ? set.complement : set.intersection(.all)
        if normalized.isEmpty { throw .emptyCharacterClass(at: open) }
        return normalized
    }

    /// Parses one character or escape and returns its code point.
    private mutating func parseChar() throws(GrammarError) -> UInt32 {
        let start = index
        let s = scalars[index]
        index += 1
        guard s == "\\" else { return s.value }
        guard let e = current else { throw .badEscape("\\", at: location(start)) }
        index += 1
        let digits: Int
        switch e {
        case "n": return 0x0A
        case "t": return 0x09
        case "r": return 0x0D
        case "\\", "\"", "[", "]", "-": return e.value
        case "x": digits = 2
        case "u": digits = 4
        case "U": digits = 8
        default: throw .badEscape("\\" + String(e), at: location(start))
        }
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let h = current, let d = Self.hexValue(h) else {
                throw .badEscape("\\\(e) needs \(digits) hex digits", at: location(start))
            }
            value = value << 4 | d
            index += 1
        }
        guard value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
            throw .invalidCodePoint(value, at: location(start))
        }
        return value
    }

    private static func hexValue(_ s: Unicode.Scalar) -> UInt32? {
        switch s {
        case "0"..."9": return s.value - 48
        case "a"..."f": return s.value - 87
        case "A"..."F": return s.value - 55
        default: return nil
        }
    }
}
