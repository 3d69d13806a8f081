extension JinjaInterpreter {
    /// The filters implemented, with Jinja2's (and, for `tojson`, Hugging Face's) behaviour.
    static let filterNames: Set<String> = [
        "abs", "capitalize", "count", "d", "default", "dictsort", "first", "float", "indent", "int", "items", "join",
        "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "safe",
        "select", "selectattr", "sort", "string", "title", "tojson", "trim", "unique", "upper",
    ]

    func applyFilter(_ name: String, to value: JinjaValue, arguments: JinjaArguments, line: Int,
                     scope: JinjaScope) throws(TokenizerError) -> JinjaValue {
        guard Self.filterNames.contains(name) else {
            throw .unsupportedTemplateConstruct(construct: "filter '\(name)'", line: line)
        }
        let (positional, named) = try evaluate(arguments, scope: scope)
        let arguments = JinjaCallArguments(positional: positional, named: named)
        if ["select", "reject", "selectattr", "rejectattr", "map"].contains(name) && !value.isTruthy {
            return .list([])  // Jinja2's select_or_reject and map start with `if value:`.
        }
        switch name {
        case "default", "d":
            let fallback = arguments.value(0, "default_value") ?? .string("")
            let boolean = arguments.value(1, "boolean")?.isTruthy ?? false
            return value.isUndefined || (boolean && !value.isTruthy) ? fallback : value
        case "length", "count":
            switch value {
            case .undefined: return .integer(0)
            case .string(let text): return .integer(text.unicodeScalars.count)
            case .list(let items): return .integer(items.count)
            case .dict(let dictionary): return .integer(dictionary.count)
            default: throw .templateRuntime(message: "object of type '\(value.typeName)' has no len()", line: line)
            }
        case "trim":
            return .string(Self.strip(value.text, characters: arguments.value(0, "chars")?.text, leading: true, trailing: true))
        case "upper": return .string(value.text.uppercased())
        case "lower": return .string(value.text.lowercased())
        case "capitalize": return .string(Self.capitalize(value.text))
        case "title": return .string(Self.title(value.text))
        case "string", "safe": return .string(value.text)
        case "int":
            return Self.toInteger(value) ?? arguments.value(0, "default") ?? .integer(0)
        case "float":
            if let number = value.number { return .float(number) }
            if case .string(let text) = value, let number = Double(text.trimmingWhitespace) { return .float(number) }
            return arguments.value(0, "default") ?? .float(0)
        case "abs":
            switch value {
            case .integer(let number): return .integer(abs(number))
            case .float(let number): return .float(abs(number))
            default: throw .templateRuntime(message: "bad operand type for abs(): '\(value.typeName)'", line: line)
            }
        case "tojson":
            let indent = arguments.value(1, "indent").flatMap(\.integer)
            let sortKeys = arguments.value(3, "sort_keys")?.isTruthy ?? false
            let ensureASCII = arguments.value(0, "ensure_ascii")?.isTruthy ?? false
            var separators: (item: String, key: String)?
            if case .list(let pair)? = arguments.value(2, "separators"), pair.count == 2 {
                separators = (pair[0].text, pair[1].text)
            }
            return .string(try JinjaJSON.encode(value, indent: indent, separators: separators, sortKeys: sortKeys,
                                                ensureASCII: ensureASCII, line: line))
        case "join":
            var items = try iterate(value, line: line)
            if let attribute = arguments.value(1, "attribute") {
                items = try items.map { item throws(TokenizerError) in try self.item(attribute, of: item, line: line) }
            }
            return .string(items.map(\.text).joined(separator: arguments.value(0, "d")?.text ?? ""))
        case "first":
            return try iterate(value, line: line).first ?? .undefined("no first item, sequence was empty")
        case "last":
            return try iterate(value, line: line).last ?? .undefined("no last item, sequence was empty")
        case "list": return .list(try iterate(value, line: line))
        case "reverse":
            if case .string(let text) = value { return .string(String(text.reversed())) }
            return .list(try iterate(value, line: line).reversed())
        case "items", "dictsort":
            guard case .dict(let dictionary) = value else {
                if value.isUndefined { return .list([]) }
                throw .templateRuntime(message: "\(name) expects a mapping, got '\(value.typeName)'", line: line)
            }
            var pairs = dictionary.entries
            if name == "dictsort" {
                let caseSensitive = arguments.value(0, "case_sensitive")?.isTruthy ?? false
                let byValue = arguments.value(1, "by")?.text == "value"
                let reverse = arguments.value(2, "reverse")?.isTruthy ?? false
                var failure: TokenizerError?
                pairs.sort { a, b in
                    let x = byValue ? a.value : a.key, y = byValue ? b.value : b.key
                    do throws(TokenizerError) {
                        let order = try compare(Self.sortKey(x, caseSensitive), Self.sortKey(y, caseSensitive), op: "<", line: line)
                        return reverse ? order > 0 : order < 0
                    } catch { failure = error; return false }
                }
                if let failure { throw failure }
            }
            return .list(pairs.map { .list([$0.key, $0.value]) })
        case "replace":
            guard let old = arguments.value(0, "old")?.text, let new = arguments.value(1, "new")?.text else {
                throw .templateRuntime(message: "replace needs old and new strings", line: line)
            }
            return .string(Self.replace(value.text, old, new, count: arguments.value(2, "count")?.integer))
        case "indent":
            let width = arguments.value(0, "width")
            let indentation = width.flatMap(\.integer).map { String(repeating: " ", count: $0) } ?? width?.text ?? "    "
            return .string(Self.indent(value.text, indentation, first: arguments.value(1, "first")?.isTruthy ?? false,
                                       blank: arguments.value(2, "blank")?.isTruthy ?? false))
        case "select", "reject", "selectattr", "rejectattr":
            let byAttribute = name.hasSuffix("attr")
            let rest = Array(arguments.positional.dropFirst(byAttribute ? 1 : 0))
            let attribute = byAttribute ? arguments.positional.first : nil
            let keep = name.hasPrefix("select")
            var result: [JinjaValue] = []
            for item in try iterate(value, line: line) {
                let subject = try attribute.map { a throws(TokenizerError) in try attributePath(a, of: item, line: line) } ?? item
                let passes = try rest.first.map { test throws(TokenizerError) in
                    try applyTest(test.text, to: subject, arguments: Array(rest.dropFirst()), line: line)
                } ?? subject.isTruthy
                if passes == keep { result.append(item) }
            }
            return .list(result)
        case "map":
            var result: [JinjaValue] = []
            if let attribute = arguments.value(nil, "attribute") {
                for item in try iterate(value, line: line) {
                    var mapped = try attributePath(attribute, of: item, line: line)
                    if mapped.isUndefined, let fallback = arguments.value(nil, "default") { mapped = fallback }
                    result.append(mapped)
                }
                return .list(result)
            }
            guard let filter = arguments.positional.first?.text else {
                throw .templateRuntime(message: "map needs a filter name or attribute=", line: line)
            }
            let rest = JinjaArguments(positional: arguments.positional.dropFirst().map(Self.constantExpression))
            for item in try iterate(value, line: line) {
                result.append(try applyFilter(filter, to: item, arguments: rest, line: line, scope: scope))
            }
            return .list(result)
        case "unique":
            let caseSensitive = arguments.value(0, "case_sensitive")?.isTruthy ?? false
            var seen: [JinjaValue] = []
            var result: [JinjaValue] = []
            for item in try iterate(value, line: line) {
                let key = Self.sortKey(item, caseSensitive)
                if !seen.contains(where: { $0.equals(key) }) {
                    seen.append(key)
                    result.append(item)
                }
            }
            return .list(result)
        case "sort", "min", "max":
            let caseSensitive = arguments.value(name == "sort" ? 1 : 0, "case_sensitive")?.isTruthy ?? false
            let attribute = arguments.value(name == "sort" ? 2 : 1, "attribute")
            let reverse = name == "sort" && (arguments.value(0, "reverse")?.isTruthy ?? false)
            var keyed: [(key: JinjaValue, item: JinjaValue)] = []
            for item in try iterate(value, line: line) {
                let subject = try attribute.map { a throws(TokenizerError) in try attributePath(a, of: item, line: line) } ?? item
                keyed.append((Self.sortKey(subject, caseSensitive), item))
            }
            var failure: TokenizerError?
            let sorted = keyed.enumerated().sorted { a, b in
                do throws(TokenizerError) {
                    let order = try compare(a.element.key, b.element.key, op: "<", line: line)
                    return order == 0 ? a.offset < b.offset : (reverse ? order > 0 : order < 0)
                } catch { failure = error; return false }
            }.map(\.element.item)
            if let failure { throw failure }
            if name == "sort" { return .list(sorted) }
            return (name == "min" ? sorted.first : sorted.last) ?? .undefined("no \(name) item, sequence was empty")
        default:
            throw .unsupportedTemplateConstruct(construct: "filter '\(name)'", line: line)
        }
    }

    /// `item[a][b]` for an attribute path `"a.b"` (Jinja2's `make_attrgetter`).
    private func attributePath(_ path: JinjaValue, of item: JinjaValue, line: Int) throws(TokenizerError) -> JinjaValue {
        guard case .string(let text) = path else { return try self.item(path, of: item, line: line) }
        var value = item
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            let key: JinjaValue = Int(part).map(JinjaValue.integer) ?? .string(String(part))
            value = try self.item(key, of: value, line: line)
        }
        return value
    }

    private static func constantExpression(_ value: JinjaValue) -> JinjaExpression {
        switch value {
        case .boolean(let flag): .constant(.boolean(flag))
        case .integer(let number): .constant(.integer(number))
        case .float(let number): .constant(.float(number))
        case .string(let text): .constant(.string(text))
        default: .constant(.none)
        }
    }

    /// Lower-cased strings for Jinja2's case-insensitive sorting and uniqueness.
    private static func sortKey(_ value: JinjaValue, _ caseSensitive: Bool) -> JinjaValue {
        if !caseSensitive, case .string(let text) = value { return .string(text.lowercased()) }
        return value
    }

    static func toInteger(_ value: JinjaValue) -> JinjaValue? {
        switch value {
        case .integer, .boolean: return value.integer.map(JinjaValue.integer)
        case .float(let number): return number.isFinite ? .integer(Int(number)) : nil
        case .string(let text):
            let trimmed = text.trimmingWhitespace
            if let number = Int(trimmed.replacingOccurrences("_", "")) { return .integer(number) }
            if let number = Double(trimmed), number.isFinite { return .integer(Int(number)) }
            return nil
        default: return nil
        }
    }

    /// Jinja2's `indent` filter (3.x).
    private static func indent(_ text: String, _ indentation: String, first: Bool, blank: Bool) -> String {
        var lines = (text + "\n").pythonSplitLines()
        var result: String
        if blank {
            result = lines.joined(separator: "\n" + indentation)
        } else {
            result = lines.removeFirst()
            if !lines.isEmpty {
                result += "\n" + lines.map { $0.isEmpty ? $0 : indentation + $0 }.joined(separator: "\n")
            }
        }
        return first ? indentation + result : result
    }
}

/// Evaluated arguments of a filter, read by position or by name as Python binds them.
struct JinjaCallArguments {
    let positional: [JinjaValue]
    let named: [(String, JinjaValue)]

    /// The argument at `position` (nil: keyword-only), else the one named `name`.
    func value(_ position: Int?, _ name: String) -> JinjaValue? {
        if let position, position < positional.count { return positional[position] }
        return named.last { $0.0 == name }?.1
    }
}
