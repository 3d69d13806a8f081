extension JSONValue {
    /// The value as compact JSON text: no whitespace, members in stored order, numbers as
    /// written, strings escaping only `"`, `\` and control characters (as `\n`, `\t`, `\u001f`…).
    public var compactText: String {
        var out = ""
        write(to: &out, indent: nil, depth: 0)
        return out
    }

    /// The value as indented JSON text (`indent` spaces per level, `": "` after keys, one
    /// member or element per line, empty containers as `{}` / `[]`), as Python's
    /// `json.dumps(indent:)` prints it.
    public func prettyText(indent: Int = 2) -> String {
        var out = ""
        write(to: &out, indent: indent, depth: 0)
        return out
    }

    /// `text` as a JSON string literal, quotes included, escaped as ``compactText`` does.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private func write(to out: inout String, indent: Int?, depth: Int) {
        func newline(_ level: Int) {
            guard let indent else { return }
            out += "\n" + String(repeating: " ", count: indent * level)
        }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let text): out += text
        case .string(let s): out += JSONValue.quoted(s)
        case .array(let elements):
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += "," }
                newline(depth + 1)
                element.write(to: &out, indent: indent, depth: depth + 1)
            }
            if !elements.isEmpty { newline(depth) }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, member) in members.enumerated() {
                if i > 0 { out += "," }
                newline(depth + 1)
                out += JSONValue.quoted(member.key) + (indent == nil ? ":" : ": ")
                member.value.write(to: &out, indent: indent, depth: depth + 1)
            }
            if !members.isEmpty { newline(depth) }
            out += "}"
        }
    }
}
