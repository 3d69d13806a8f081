extension JinjaInterpreter {
    /// Methods of `str` templates call.
    static let stringMethods: Set<String> = [
        "startswith", "endswith", "strip", "lstrip", "rstrip", "split", "rsplit", "replace", "upper", "lower", "title",
        "capitalize", "find", "count", "join", "splitlines", "format", "isdigit", "isspace", "isalpha", "isalnum",
        "removeprefix", "removesuffix",
    ]
    /// Methods of `dict`: the readers, and the mutators the immutable sandbox refuses.
    static let dictionaryMethods: Set<String> = [
        "get", "items", "keys", "values", "pop", "popitem", "update", "setdefault", "clear", "copy",
    ]
    /// Methods of `list`: the readers, and the mutators the immutable sandbox refuses.
    static let listMethods: Set<String> = [
        "index", "count", "append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear", "copy",
    ]
    private static let mutators: Set<String> = [
        "pop", "popitem", "update", "setdefault", "clear", "append", "extend", "insert", "remove", "reverse", "sort",
    ]

    func callMethod(_ name: String, on receiver: JinjaValue, arguments: [JinjaValue], named: [(String, JinjaValue)],
                    line: Int) throws(TokenizerError) -> JinjaValue {
        let first = arguments.first
        switch receiver {
        case .dict(let dictionary):
            switch name {
            case "get": return first.flatMap { key in dictionary[key] } ?? (arguments.count > 1 ? arguments[1] : .none)
            case "items": return .list(dictionary.entries.map { .list([$0.key, $0.value]) })
            case "keys": return .list(dictionary.keys)
            case "values": return .list(dictionary.entries.map(\.value))
            case "copy": return receiver
            default: break
            }
        case .list(let items):
            switch name {
            case "count": return .integer(items.filter { $0.equals(first ?? .none) }.count)
            case "index":
                guard let index = items.firstIndex(where: { $0.equals(first ?? .none) }) else {
                    throw .templateRuntime(message: "\(first?.repr ?? "None") is not in list", line: line)
                }
                return .integer(index)
            case "copy": return receiver
            default: break
            }
        case .string(let text):
            return try callStringMethod(name, on: text, arguments: arguments, named: named, line: line)
        default:
            break
        }
        if Self.mutators.contains(name) {
            throw .templateRuntime(
                message: "access to attribute '\(name)' of '\(receiver.typeName)' object is unsafe (immutable sandbox)", line: line)
        }
        throw .templateRuntime(message: "'\(receiver.typeName)' object has no method '\(name)'", line: line)
    }

    private func callStringMethod(_ name: String, on text: String, arguments: [JinjaValue], named: [(String, JinjaValue)],
                                  line: Int) throws(TokenizerError) -> JinjaValue {
        let first = arguments.first
        func stringArgument() throws(TokenizerError) -> String {
            guard case .string(let value)? = first else {
                throw .templateRuntime(message: "str.\(name)() needs a string argument", line: line)
            }
            return value
        }
        func optionalCharacters() -> String? {
            if case .string(let characters)? = first { return characters }
            return nil
        }
        switch name {
        case "startswith", "endswith":
            let candidates: [JinjaValue]
            if case .list(let items)? = first { candidates = items } else { candidates = [first ?? .none] }
            for candidate in candidates {
                guard case .string(let affix) = candidate else {
                    throw .templateRuntime(message: "str.\(name)() needs a string or a tuple of strings", line: line)
                }
                if affix.isEmpty || (name == "startswith" ? text.hasPrefix(affix) : text.hasSuffix(affix)) { return .boolean(true) }
            }
            return .boolean(false)
        case "strip": return .string(Self.strip(text, characters: optionalCharacters(), leading: true, trailing: true))
        case "lstrip": return .string(Self.strip(text, characters: optionalCharacters(), leading: true, trailing: false))
        case "rstrip": return .string(Self.strip(text, characters: optionalCharacters(), leading: false, trailing: true))
        case "split", "rsplit":
            let separator = optionalCharacters() ?? named.first { $0.0 == "sep" }.flatMap { pair -> String? in
                if case .string(let sep) = pair.1 { return sep } else { return nil }
            }
            let limit = (arguments.count > 1 ? arguments[1] : named.first { $0.0 == "maxsplit" }?.1)?.integer ?? -1
            if separator == "" { throw .templateRuntime(message: "empty separator", line: line) }
            return .list(Self.split(text, separator: separator, limit: limit, fromEnd: name == "rsplit").map(JinjaValue.string))
        case "replace":
            guard arguments.count >= 2, case .string(let old) = arguments[0], case .string(let new) = arguments[1] else {
                throw .templateRuntime(message: "str.replace() needs two strings", line: line)
            }
            return .string(Self.replace(text, old, new, count: arguments.count > 2 ? arguments[2].integer : nil))
        case "upper": return .string(text.uppercased())
        case "lower": return .string(text.lowercased())
        case "title": return .string(Self.title(text))
        case "capitalize": return .string(Self.capitalize(text))
        case "find", "count":
            let part = try stringArgument()
            let haystack = Array(text.unicodeScalars), needle = Array(part.unicodeScalars)
            var count = 0, position = 0
            while position + needle.count <= haystack.count {
                if haystack[position..<(position + needle.count)].elementsEqual(needle) {
                    if name == "find" { return .integer(position) }
                    count += 1
                    position += max(needle.count, 1)
                } else {
                    position += 1
                }
            }
            return .integer(name == "find" ? -1 : count + (needle.isEmpty ? 1 : 0))
        case "join":
            return .string(try iterate(first ?? .none, line: line).map(\.text).joined(separator: text))
        case "splitlines": return .list(text.pythonSplitLines().map(JinjaValue.string))
        case "removeprefix":
            let affix = try stringArgument()
            return .string(text.hasPrefix(affix) ? String(text.unicodeScalars.dropFirst(affix.unicodeScalars.count)) : text)
        case "removesuffix":
            let affix = try stringArgument()
            return .string(text.hasSuffix(affix) ? String(text.unicodeScalars.dropLast(affix.unicodeScalars.count)) : text)
        case "isdigit": return .boolean(!text.isEmpty && text.unicodeScalars.allSatisfy { $0.properties.numericType == .decimal })
        case "isspace": return .boolean(!text.isEmpty && text.unicodeScalars.allSatisfy(\.properties.isWhitespace))
        case "isalpha": return .boolean(!text.isEmpty && text.unicodeScalars.allSatisfy(\.properties.isAlphabetic))
        case "isalnum":
            return .boolean(!text.isEmpty && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        case "format":
            return .string(try Self.format(text, arguments: arguments, named: named, line: line))
        default:
            throw .templateRuntime(message: "'str' object has no method '\(name)'", line: line)
        }
    }

    /// `str.format` with `{}`, `{0}` and `{name}` fields (no format specs).
    private static func format(_ text: String, arguments: [JinjaValue], named: [(String, JinjaValue)],
                               line: Int) throws(TokenizerError) -> String {
        var result = ""
        var automatic = 0
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            if scalar == "}" {
                guard scalars.next() == "}" else { throw .templateRuntime(message: "single '}' in a format string", line: line) }
                result += "}"
                continue
            }
            guard scalar == "{" else { result.unicodeScalars.append(scalar); continue }
            var field = ""
            var closed = false
            while let next = scalars.next() {
                if next == "{" && field.isEmpty { result += "{"; closed = true; field = "{"; break }
                if next == "}" { closed = true; break }
                field.unicodeScalars.append(next)
            }
            guard closed else { throw .templateRuntime(message: "single '{' in a format string", line: line) }
            if field == "{" { continue }
            let value: JinjaValue?
            if field.isEmpty {
                value = automatic < arguments.count ? arguments[automatic] : nil
                automatic += 1
            } else if let position = Int(field) {
                value = position < arguments.count ? arguments[position] : nil
            } else if field.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "_" }) {
                value = named.last { $0.0 == field }?.1
            } else {
                throw .unsupportedTemplateConstruct(construct: "str.format field '{\(field)}'", line: line)
            }
            guard let value else { throw .templateRuntime(message: "format field '{\(field)}' has no argument", line: line) }
            result += value.text
        }
        return result
    }
}
