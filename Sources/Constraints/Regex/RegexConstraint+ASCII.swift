extension RegexConstraint {
    /// Whether a PCRE2 pattern (UTF mode, no `(*UCP)`) can only ever match ASCII characters,
    /// judged conservatively from its text: `false` for any non-ASCII byte, `.` outside a class,
    /// a negated class (`[^…]`, `[:^…:]`), `\p \P \W \S \D \H \V \h \v \N \R \X \C`, `\x`, `\o`,
    /// numeric escapes, caseless flags (`(?i)`: `k` also matches U+212A) and `(*…)` verbs.
    /// When `true`, a prefix ending inside a multi-byte character is dead without search.
    package static func matchesASCIIOnly(_ pattern: String) -> Bool {
        let bytes = Array(pattern.utf8)
        var i = 0
        var inClass = false
        var classStart = -1
        while i < bytes.count {
            let c = bytes[i]
            if c >= 0x80 { return false }
            let next: UInt8 = i + 1 < bytes.count ? bytes[i + 1] : 0
            switch c {
            case UInt8(ascii: "\\"):
                if Array("pPWSDHVhvNRXCxo0123456789".utf8).contains(next) { return false }
                i += 2
                continue
            case UInt8(ascii: "["):
                if inClass {
                    if next == UInt8(ascii: ":"), i + 2 < bytes.count, bytes[i + 2] == UInt8(ascii: "^") { return false }
                } else {
                    if next == UInt8(ascii: "^") { return false }
                    inClass = true
                    classStart = i + 1
                }
            case UInt8(ascii: "]"):
                if inClass, i != classStart { inClass = false }
            case UInt8(ascii: "."):
                if !inClass { return false }
            case UInt8(ascii: "("):
                if !inClass, next == UInt8(ascii: "*") { return false }
                if !inClass, next == UInt8(ascii: "?") {
                    var j = i + 2
                    while j < bytes.count, bytes[j] != UInt8(ascii: ":"), bytes[j] != UInt8(ascii: ")") {
                        if bytes[j] == UInt8(ascii: "i") { return false }
                        j += 1
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
