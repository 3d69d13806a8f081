/// Splits a Jinja template into tokens the way Jinja2's lexer does with the settings Hugging Face
/// transformers uses for chat templates: `trim_blocks=True` (the first newline after a `%}` or `#}`
/// is dropped), `lstrip_blocks=True` (spaces and tabs before a `{%` or `{#` that starts a line are
/// dropped), `-` inside a delimiter strips all whitespace on that side, `+` turns both settings
/// off for that tag, and `keep_trailing_newline=False` (one newline at the end of the template is
/// dropped). Line endings become `\n`.
struct JinjaLexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var line = 1
    private var tokens: [JinjaToken] = []
    /// Whether the last text token begins a line: the template's start, or right after a tag
    /// whose newline `trim_blocks` removed (Jinja2's `line_starting`).
    private var textStartsLine = false

    /// Tokenizes `source`.
    ///
    /// - Throws: ``TokenizerError/templateSyntax(message:line:)`` for an unclosed tag, comment or
    ///   string, or a character that starts no token.
    static func tokenize(_ source: String) throws(TokenizerError) -> [JinjaToken] {
        var lexer = JinjaLexer(source: source)
        try lexer.run()
        return lexer.tokens
    }

    private init(source: String) {
        // Jinja2 joins `source.splitlines()` with "\n": CRLF and CR become LF, and one trailing
        // line break is dropped.
        var normalized: [Unicode.Scalar] = []
        let input = Array(source.unicodeScalars)
        var index = 0
        while index < input.count {
            let scalar = input[index]
            if scalar == "\r" {
                normalized.append("\n")
                if index + 1 < input.count && input[index + 1] == "\n" { index += 1 }
            } else {
                normalized.append(scalar)
            }
            index += 1
        }
        if normalized.last == "\n" { normalized.removeLast() }
        scalars = normalized
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private func starts(with text: String, at index: Int) -> Bool {
        var i = index
        for scalar in text.unicodeScalars {
            guard i < scalars.count, scalars[i] == scalar else { return false }
            i += 1
        }
        return true
    }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count {
            if scalars[position] == "\n" { line += 1 }
            position += 1
        }
    }

    private mutating func run() throws(TokenizerError) {
        var text: [Unicode.Scalar] = []
        var textLine = line
        var stripNextText = false
        var trimNextNewline = false
        while position < scalars.count {
            guard scalars[position] == "{", let next = peek(1), next == "{" || next == "%" || next == "#" else {
                if text.isEmpty { textLine = line }
                text.append(scalars[position])
                advance()
                continue
            }
            flush(&text, line: textLine, strip: &stripNextText, trim: &trimNextNewline)
            let modifier = peek(2)
            let isBlock = next == "%" || next == "#"
            if modifier == "-" {
                trimTrailingWhitespace(all: true)
            } else if isBlock && modifier != "+" {
                trimTrailingWhitespace(all: false)
            }
            let tagLine = line
            advance(modifier == "-" || modifier == "+" ? 3 : 2)
            var closing: (strip: Bool, keepNewline: Bool)
            switch next {
            case "#":
                closing = try skipComment(line: tagLine)
            case "{":
                tokens.append(JinjaToken(kind: .outputBegin, line: tagLine))
                closing = try lexExpression(close: "}", line: tagLine)
                tokens.append(JinjaToken(kind: .outputEnd, line: line))
                closing.keepNewline = true
            default:
                tokens.append(JinjaToken(kind: .blockBegin, line: tagLine))
                closing = try lexExpression(close: "%", line: tagLine)
                tokens.append(JinjaToken(kind: .blockEnd, line: line))
                if tokens.count >= 3, tokens[tokens.count - 2].kind == .name("raw"),
                   tokens[tokens.count - 3].kind == .blockBegin {
                    tokens.removeLast(3)
                    closing = try lexRaw(after: closing, line: tagLine)
                }
            }
            stripNextText = closing.strip
            trimNextNewline = !closing.strip && !closing.keepNewline
        }
        flush(&text, line: textLine, strip: &stripNextText, trim: &trimNextNewline)
        tokens.append(JinjaToken(kind: .end, line: line))
    }

    /// Emits the pending text after applying the previous tag's right-side whitespace control.
    private mutating func flush(_ text: inout [Unicode.Scalar], line textLine: Int, strip: inout Bool, trim: inout Bool) {
        textStartsLine = tokens.isEmpty
        if strip {
            while let first = text.first, first.properties.isWhitespace { text.removeFirst() }
        } else if trim, text.first == "\n" {
            text.removeFirst()
            textStartsLine = true
        }
        strip = false
        trim = false
        if !text.isEmpty {
            var string = ""
            string.unicodeScalars.append(contentsOf: text)
            tokens.append(JinjaToken(kind: .text(string), line: textLine))
        }
        text.removeAll()
    }

    /// Applies a tag's left-side whitespace control to the text token just emitted: `all` strips
    /// every whitespace character (`{%-`), otherwise only spaces and tabs back to a line start
    /// (`lstrip_blocks`).
    private mutating func trimTrailingWhitespace(all: Bool) {
        guard let last = tokens.last, case .text(let string) = last.kind else { return }
        var text = Array(string.unicodeScalars)
        if all {
            while let final = text.last, final.properties.isWhitespace { text.removeLast() }
        } else {
            var end = text.count
            while end > 0, text[end - 1] == " " || text[end - 1] == "\t" { end -= 1 }
            // Only when the tag starts its line (or the template, when nothing precedes the text).
            let startsLine = end == 0 ? textStartsLine : text[end - 1] == "\n"
            guard startsLine else { return }
            text.removeSubrange(end...)
        }
        tokens.removeLast()
        if !text.isEmpty {
            var trimmed = ""
            trimmed.unicodeScalars.append(contentsOf: text)
            tokens.append(JinjaToken(kind: .text(trimmed), line: last.line))
        }
    }

    /// The text of `{% raw %}…{% endraw %}` as one text token, whitespace control applied on both
    /// tags; returns the closing of `{% endraw %}`.
    private mutating func lexRaw(after opening: (strip: Bool, keepNewline: Bool),
                                 line tagLine: Int) throws(TokenizerError) -> (strip: Bool, keepNewline: Bool) {
        var text: [Unicode.Scalar] = []
        let textLine = line
        while position < scalars.count {
            if starts(with: "{%", at: position) {
                var probe = position + 2
                let dash = probe < scalars.count && scalars[probe] == "-"
                let plus = probe < scalars.count && scalars[probe] == "+"
                if dash || plus { probe += 1 }
                while probe < scalars.count, scalars[probe].properties.isWhitespace { probe += 1 }
                if starts(with: "endraw", at: probe) {
                    var strip = opening.strip
                    var trim = !opening.strip && !opening.keepNewline
                    flush(&text, line: textLine, strip: &strip, trim: &trim)
                    if !plus { trimTrailingWhitespace(all: dash) }
                    advance(probe + 6 - position)
                    while let c = peek(), c.properties.isWhitespace, c != "-" { advance() }
                    if starts(with: "-%}", at: position) { advance(3); return (true, false) }
                    if starts(with: "+%}", at: position) { advance(3); return (false, true) }
                    if starts(with: "%}", at: position) { advance(2); return (false, false) }
                    throw .templateSyntax(message: "expected '%}' after 'endraw'", line: line)
                }
            }
            text.append(scalars[position])
            advance()
        }
        throw .templateSyntax(message: "missing '{% endraw %}'", line: tagLine)
    }

    private mutating func skipComment(line tagLine: Int) throws(TokenizerError) -> (strip: Bool, keepNewline: Bool) {
        while position < scalars.count {
            if starts(with: "-#}", at: position) { advance(3); return (true, false) }
            if starts(with: "+#}", at: position) { advance(3); return (false, true) }
            if starts(with: "#}", at: position) { advance(2); return (false, false) }
            advance()
        }
        throw .templateSyntax(message: "unclosed comment", line: tagLine)
    }

    /// Lexes expression tokens up to the closing `}}` or `%}` (`close` is `}` or `%`).
    private mutating func lexExpression(close: Unicode.Scalar, line tagLine: Int) throws(TokenizerError) -> (strip: Bool, keepNewline: Bool) {
        let closer = close == "}" ? "}}" : "%}"
        var braces = 0
        while position < scalars.count {
            let scalar = scalars[position]
            if scalar == " " || scalar == "\t" || scalar == "\n" { advance(); continue }
            if braces == 0 {
                if starts(with: "-" + closer, at: position) { advance(3); return (true, false) }
                if starts(with: "+" + closer, at: position) { advance(3); return (false, true) }
                if starts(with: closer, at: position) { advance(2); return (false, false) }
            }
            let tokenLine = line
            if scalar == "'" || scalar == "\"" {
                tokens.append(JinjaToken(kind: .string(try lexString(quote: scalar)), line: tokenLine))
            } else if scalar.properties.isAlphabetic || scalar == "_" {
                var name = ""
                while let c = peek(), c.properties.isAlphabetic || c == "_" || ("0"..."9").contains(c) {
                    name.unicodeScalars.append(c)
                    advance()
                }
                tokens.append(JinjaToken(kind: .name(name), line: tokenLine))
            } else if ("0"..."9").contains(scalar) {
                tokens.append(JinjaToken(kind: lexNumber(), line: tokenLine))
            } else {
                let symbols = ["//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=",
                               "(", ")", "[", "]", "{", "}", ",", ".", ":", "|"]
                guard let symbol = symbols.first(where: { starts(with: $0, at: position) }) else {
                    throw .templateSyntax(message: "unexpected character '\(scalar)'", line: tokenLine)
                }
                if symbol == "{" { braces += 1 }
                if symbol == "}" { braces -= 1 }
                advance(symbol.unicodeScalars.count)
                tokens.append(JinjaToken(kind: .symbol(symbol), line: tokenLine))
            }
        }
        throw .templateSyntax(message: "unclosed '\(close == "}" ? "{{" : "{%")'", line: tagLine)
    }

    private mutating func lexNumber() -> JinjaToken.Kind {
        var digits = ""
        var isFloat = false
        while let c = peek() {
            if ("0"..."9").contains(c) || c == "_" {
                if c != "_" { digits.unicodeScalars.append(c) }
            } else if c == ".", !isFloat, let after = peek(1), ("0"..."9").contains(after) {
                isFloat = true
                digits.unicodeScalars.append(c)
            } else {
                break
            }
            advance()
        }
        if isFloat { return .float(Double(digits) ?? 0) }
        if let value = Int(digits) { return .integer(value) }
        return .float(Double(digits) ?? .infinity)
    }

    /// A Python string literal body: `\n \t \r \\ \' \" \uXXXX \xXX`; other escapes stay as written.
    private mutating func lexString(quote: Unicode.Scalar) throws(TokenizerError) -> String {
        let startLine = line
        advance()
        var value = ""
        while let c = peek() {
            advance()
            if c == quote { return value }
            guard c == "\\", let escaped = peek() else {
                value.unicodeScalars.append(c)
                continue
            }
            advance()
            switch escaped {
            case "n": value += "\n"
            case "t": value += "\t"
            case "r": value += "\r"
            case "\\", "'", "\"": value.unicodeScalars.append(escaped)
            case "\n": break
            case "u", "x":
                let width = escaped == "u" ? 4 : 2
                var hex = ""
                for _ in 0..<width {
                    guard let h = peek(), h.properties.isASCIIHexDigit else { break }
                    hex.unicodeScalars.append(h)
                    advance()
                }
                guard hex.count == width, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                    throw .templateSyntax(message: "invalid \\\(escaped) escape in a string", line: line)
                }
                value.unicodeScalars.append(scalar)
            default:
                value.unicodeScalars.append("\\")
                value.unicodeScalars.append(escaped)
            }
        }
        throw .templateSyntax(message: "unclosed string", line: startLine)
    }
}
