/// `tojson` as Hugging Face transformers defines it for chat templates: Python's
/// `json.dumps(value, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)`
/// (Jinja2's own `tojson` would HTML-escape `<`, `>`, `&` and `'`).
enum JinjaJSON {
    static func encode(_ value: JinjaValue, indent: Int?, separators: (item: String, key: String)?, sortKeys: Bool,
                       ensureASCII: Bool, line: Int) throws(TokenizerError) -> String {
        let separators = separators ?? (indent == nil ? ", " : ",", ": ")
        var output = ""
        try write(value, depth: 0, indent: indent, separators: separators, sortKeys: sortKeys, ensureASCII: ensureASCII,
                  line: line, into: &output)
        return output
    }

    private static func write(_ value: JinjaValue, depth: Int, indent: Int?, separators: (item: String, key: String),
                              sortKeys: Bool, ensureASCII: Bool, line: Int, into output: inout String) throws(TokenizerError) {
        func newline(_ level: Int) -> String {
            indent.map { "\n" + String(repeating: " ", count: $0 * level) } ?? ""
        }
        switch value {
        case .none: output += "null"
        case .boolean(let flag): output += flag ? "true" : "false"
        case .integer(let number): output += String(number)
        case .float(let number):
            output += number.isNaN ? "NaN" : number.isInfinite ? (number > 0 ? "Infinity" : "-Infinity")
                : JinjaValue.pythonFloat(number)
        case .string(let text): output += quote(text, ensureASCII: ensureASCII)
        case .list(let items):
            guard !items.isEmpty else { output += "[]"; return }
            output += "[" + newline(depth + 1)
            for (index, item) in items.enumerated() {
                if index > 0 { output += separators.item + newline(depth + 1) }
                try write(item, depth: depth + 1, indent: indent, separators: separators, sortKeys: sortKeys,
                          ensureASCII: ensureASCII, line: line, into: &output)
            }
            output += newline(depth) + "]"
        case .dict(let dictionary):
            guard !dictionary.isEmpty else { output += "{}"; return }
            // Python's json: str keys as they are; int, float, bool and None keys as their JSON text.
            var entries: [(key: String, value: JinjaValue)] = []
            for entry in dictionary.entries {
                switch entry.key {
                case .string(let text): entries.append((text, entry.value))
                case .none, .boolean, .integer, .float:
                    var text = ""
                    try write(entry.key, depth: 0, indent: nil, separators: separators, sortKeys: false,
                              ensureASCII: ensureASCII, line: line, into: &text)
                    entries.append((text, entry.value))
                default:
                    throw .templateRuntime(message: "keys must be str, int, float, bool or None, not \(entry.key.typeName)", line: line)
                }
            }
            if sortKeys {
                entries.sort { $0.key.unicodeScalars.map(\.value).lexicographicallyPrecedes($1.key.unicodeScalars.map(\.value)) }
            }
            output += "{" + newline(depth + 1)
            for (index, entry) in entries.enumerated() {
                if index > 0 { output += separators.item + newline(depth + 1) }
                output += quote(entry.key, ensureASCII: ensureASCII) + separators.key
                try write(entry.value, depth: depth + 1, indent: indent, separators: separators, sortKeys: sortKeys,
                          ensureASCII: ensureASCII, line: line, into: &output)
            }
            output += newline(depth) + "}"
        default:
            throw .templateRuntime(message: "Object of type \(value.typeName) is not JSON serializable", line: line)
        }
    }

    /// A JSON string as Python writes it: `\" \\ \n \r \t \b \f`, other controls as `\u00XX`, and
    /// with `ensureASCII` every non-ASCII character as `\uXXXX` (surrogate pairs above U+FFFF).
    private static func quote(_ text: String, ensureASCII: Bool) -> String {
        var result = "\""
        func hex(_ unit: UInt32) -> String {
            let digits = String(unit, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            default:
                if scalar.value < 0x20 || (ensureASCII && scalar.value > 0x7E) {
                    if scalar.value > 0xFFFF {
                        let value = scalar.value - 0x10000
                        result += hex(0xD800 + (value >> 10)) + hex(0xDC00 + (value & 0x3FF))
                    } else {
                        result += hex(scalar.value)
                    }
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
