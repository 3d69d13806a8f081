extension RegexConstraint {
    /// Whether PCRE2's hard partial matching decides liveness exactly for `pattern` (compiled with
    /// `PCRE2_DOLLAR_ENDONLY`), judged conservatively from its text.
    ///
    /// A hard partial match means only that the match reached the end of the prefix without
    /// failing: whatever the pattern asks of the characters after it is unchecked. When every
    /// item the match has yet to pass consumes characters from a non-empty set, some continuation
    /// satisfies them, so "partial" means "completable". The items for which that fails, each
    /// making this `false`:
    /// - assertions that read past the end: lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`), `\b \B \A
    ///   \Z \G \K`, `\z` before the pattern's end, a `^` after the start (`ab^c` after `"a"`),
    ///   a `$` before the end, multiline, extended or other inline flags than `i s n J U`;
    /// - items whose set may be empty: `\p`/`\P` (`\P{Any}`, `\p{Cs}`), a negated class with an
    ///   escape other than `\d \w \s \h \v \n \t \r \f \e \a` or punctuation, a POSIX negation,
    ///   a control or non-ASCII character;
    /// - items that commit or refer: backreferences, subroutines, recursion, conditionals,
    ///   callouts, atomic groups, possessive quantifiers (`a*+a` is partial forever), `\C`, `\X`
    ///   and verbs (`(*ACCEPT)` ends the match before the end-anchor), except a leading `(*UTF)`
    ///   or `(*UCP)`;
    /// - `\Q…\E` quoting (this scan would misread the quoted text).
    package static func partialMatchingIsExact(_ pattern: String) -> Bool {
        var bytes = Array(pattern.utf8)[...]
        for verb in ["(*UTF)", "(*UCP)"] {
            while bytes.starts(with: verb.utf8) { bytes = bytes.dropFirst(verb.utf8.count) }
        }
        let text = Array(bytes)
        let classEscapes = Array("dwshvntrfea".utf8)
        let inlineFlags = Array("isnJU-^".utf8)
        var i = 0
        var inClass = false
        var negatedClass = false
        var classStart = -1
        var afterQuantifier = false
        while i < text.count {
            let c = text[i]
            let next: UInt8 = i + 1 < text.count ? text[i + 1] : 0
            if inClass {
                if negatedClass, c < 0x20 || c >= 0x80 { return false }
                switch c {
                case UInt8(ascii: "\\"):
                    if next == UInt8(ascii: "p") || next == UInt8(ascii: "P") || next == UInt8(ascii: "Q") { return false }
                    let alphanumeric = (0x30...0x39).contains(next) || (0x61...0x7A).contains(next | 0x20)
                    if negatedClass, alphanumeric, !classEscapes.contains(next) { return false }
                    i += 2
                    continue
                case UInt8(ascii: "["):
                    if next == UInt8(ascii: ":"), i + 2 < text.count, text[i + 2] == UInt8(ascii: "^") { return false }
                case UInt8(ascii: "]"):
                    if i != classStart { inClass = false }
                default:
                    break
                }
                i += 1
                continue
            }
            let quantifier = c == UInt8(ascii: "*") || c == UInt8(ascii: "+") || c == UInt8(ascii: "?")
                || c == UInt8(ascii: "}")
            if c == UInt8(ascii: "+"), afterQuantifier { return false }  // possessive
            afterQuantifier = quantifier && !(c == UInt8(ascii: "?") && afterQuantifier)
            switch c {
            case UInt8(ascii: "\\"):
                if Array("bBAZGKgkCXQpP123456789".utf8).contains(next) { return false }
                if next == UInt8(ascii: "z"), !text[(i + 2)...].allSatisfy({ $0 == UInt8(ascii: ")") }) { return false }
                afterQuantifier = false
                i += 2
                continue
            case UInt8(ascii: "["):
                inClass = true
                negatedClass = next == UInt8(ascii: "^")
                classStart = negatedClass ? i + 2 : i + 1
            case UInt8(ascii: "^"):
                if !text[..<i].allSatisfy({ $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: ":") }) {
                    return false
                }
            case UInt8(ascii: "$"):
                if !text[(i + 1)...].allSatisfy({ $0 == UInt8(ascii: ")") }) { return false }
            case UInt8(ascii: "("):
                if next == UInt8(ascii: "*") { return false }
                if next == UInt8(ascii: "?") {
                    let kind: UInt8 = i + 2 < text.count ? text[i + 2] : 0
                    let after: UInt8 = i + 3 < text.count ? text[i + 3] : 0
                    switch kind {
                    case UInt8(ascii: ":"), UInt8(ascii: "|"), UInt8(ascii: "#"), UInt8(ascii: "'"):
                        break
                    case UInt8(ascii: "<") where after != UInt8(ascii: "=") && after != UInt8(ascii: "!"):
                        break
                    case UInt8(ascii: "P") where after == UInt8(ascii: "<"):
                        break
                    default:
                        // Inline flags: only those that change no assertion or quantifier's commitment.
                        var j = i + 2
                        while j < text.count, inlineFlags.contains(text[j]) { j += 1 }
                        guard j > i + 2, j < text.count, text[j] == UInt8(ascii: ")") || text[j] == UInt8(ascii: ":") else {
                            return false
                        }
                    }
                }
            default:
                break
            }
            i += 1
        }
        return true
    }
}
