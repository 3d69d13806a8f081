/// A value while a template runs, with Python's semantics for the operations Jinja2 delegates to
/// Python (truthiness, `str()`, `repr()`, equality, ordering).
enum JinjaValue {
    /// A name or attribute that does not exist (Jinja2's default `Undefined`): prints as nothing,
    /// is false, iterates as empty; using it in arithmetic or reading its attributes is an error.
    case undefined(String)
    case none
    case boolean(Bool)
    case integer(Int)
    case float(Double)
    case string(String)
    /// A Python list or tuple.
    case list([JinjaValue])
    /// A Python dict (string keys, insertion order).
    case dict(JinjaDictionary)
    /// `namespace(...)`: the one mutable object templates may assign attributes of.
    case namespace(JinjaNamespace)
    /// A macro, callable.
    case macro(JinjaMacro)
    /// A global function: `raise_exception`, `strftime_now`, `namespace`, `range`, `dict`.
    case function(String)
    /// A method looked up on a value (`message.content.strip`), not yet called.
    case method(JinjaBox, String)

    init(_ constant: JinjaConstant) {
        switch constant {
        case .none: self = .none
        case .boolean(let value): self = .boolean(value)
        case .integer(let value): self = .integer(value)
        case .float(let value): self = .float(value)
        case .string(let value): self = .string(value)
        }
    }

    var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// Python's `bool(value)`.
    var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case .boolean(let value): return value
        case .integer(let value): return value != 0
        case .float(let value): return value != 0
        case .string(let value): return !value.isEmpty
        case .list(let items): return !items.isEmpty
        case .dict(let dictionary): return !dictionary.isEmpty
        case .namespace, .macro, .function, .method: return true
        }
    }

    /// The Python type name, for error messages.
    var typeName: String {
        switch self {
        case .undefined: "Undefined"
        case .none: "NoneType"
        case .boolean: "bool"
        case .integer: "int"
        case .float: "float"
        case .string: "str"
        case .list: "list"
        case .dict: "dict"
        case .namespace: "Namespace"
        case .macro: "Macro"
        case .function, .method: "function"
        }
    }

    /// A number as Double (bool counts as int, as in Python), or nil.
    var number: Double? {
        switch self {
        case .boolean(let value): value ? 1 : 0
        case .integer(let value): Double(value)
        case .float(let value): value
        default: nil
        }
    }

    /// An integer (bool included), or nil.
    var integer: Int? {
        switch self {
        case .boolean(let value): value ? 1 : 0
        case .integer(let value): value
        default: nil
        }
    }

    /// Python's `str(value)` (what `{{ }}` prints; undefined prints nothing).
    var text: String {
        switch self {
        case .undefined: return ""
        case .string(let value): return value
        default: return repr
        }
    }

    /// Python's `repr(value)`.
    var repr: String {
        switch self {
        case .undefined: return ""
        case .none: return "None"
        case .boolean(let value): return value ? "True" : "False"
        case .integer(let value): return String(value)
        case .float(let value): return Self.pythonFloat(value)
        case .string(let value): return Self.pythonStringRepr(value)
        case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case .dict(let dictionary):
            return "{" + dictionary.entries.map { $0.key.repr + ": " + $0.value.repr }
                .joined(separator: ", ") + "}"
        case .namespace(let namespace): return "<Namespace \(JinjaValue.dict(namespace.attributes).repr)>"
        case .macro(let macro): return "<Macro '\(macro.definition.name)'>"
        case .function(let name): return "<function \(name)>"
        case .method(_, let name): return "<built-in method \(name)>"
        }
    }

    /// Python's `repr(float)`: shortest round-trip digits, `.0` on whole numbers, exponent form
    /// below 1e-4 (`1e-05`). Swift switches to exponent form at 2^53 where Python waits for 1e16,
    /// so whole numbers in [2^53, 1e16) print differently (`9.007199254740992e+15`).
    static func pythonFloat(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }

    /// Python's `repr(str)`: single quotes unless the text has `'` and no `"`.
    static func pythonStringRepr(_ value: String) -> String {
        let quote: Character = value.contains("'") && !value.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if Character(scalar) == quote {
                    result += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        result.append(quote)
        return result
    }

    /// Python's `==`.
    func equals(_ other: JinjaValue) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.equals($1) }
        case (.dict(let a), .dict(let b)):
            return a.count == b.count && a.entries.allSatisfy { entry in b[entry.key].map { entry.value.equals($0) } ?? false }
        case (.namespace(let a), .namespace(let b)): return a === b
        default:
            if let a = number, let b = other.number { return a == b }
            return false
        }
    }
}

/// A reference to a value, so that ``JinjaValue`` can hold a value inside one of its cases.
final class JinjaBox {
    let value: JinjaValue
    init(_ value: JinjaValue) { self.value = value }
}

/// An insertion-ordered dictionary (Python's `dict` as templates use it: small, keys compared
/// with Python's `==`, so `1`, `1.0` and `True` are one key).
struct JinjaDictionary {
    private(set) var entries: [(key: JinjaValue, value: JinjaValue)] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var keys: [JinjaValue] { entries.map(\.key) }

    subscript(key: String) -> JinjaValue? {
        get { self[.string(key)] }
        set { self[.string(key)] = newValue }
    }

    subscript(key: JinjaValue) -> JinjaValue? {
        get { entries.first { $0.key.equals(key) }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key.equals(key) }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }
}

/// `namespace()`: a reference type, so assignments through `{% set ns.x = … %}` are seen outside
/// the loop or block that makes them (the reason templates use it).
final class JinjaNamespace {
    var attributes: JinjaDictionary
    init(_ attributes: JinjaDictionary) { self.attributes = attributes }
}

/// A macro with the scope it was defined in.
final class JinjaMacro {
    let definition: JinjaMacroDefinition
    let scope: JinjaScope
    init(definition: JinjaMacroDefinition, scope: JinjaScope) {
        self.definition = definition
        self.scope = scope
    }
}

/// Variables visible at one point of a template: a loop iteration, a macro call, the template.
final class JinjaScope {
    private var variables: [String: JinjaValue] = [:]
    private let parent: JinjaScope?

    init(parent: JinjaScope?) { self.parent = parent }

    func lookup(_ name: String) -> JinjaValue? {
        variables[name] ?? parent?.lookup(name)
    }

    func set(_ name: String, _ value: JinjaValue) { variables[name] = value }
}
