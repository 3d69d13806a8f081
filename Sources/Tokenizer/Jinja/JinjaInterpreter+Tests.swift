extension JinjaInterpreter {
    /// `value is name(arguments)` with Jinja2's built-in tests.
    func applyTest(_ name: String, to value: JinjaValue, arguments: [JinjaValue], line: Int) throws(TokenizerError) -> Bool {
        let argument = arguments.first ?? .undefined("the test '\(name)' needs an argument")
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": if case .none = value { return true } else { return false }
        case "boolean": if case .boolean = value { return true } else { return false }
        case "true": if case .boolean(true) = value { return true } else { return false }
        case "false": if case .boolean(false) = value { return true } else { return false }
        case "integer": if case .integer = value { return true } else { return false }
        case "float": if case .float = value { return true } else { return false }
        case "number": return value.number != nil
        case "string": if case .string = value { return true } else { return false }
        case "mapping": if case .dict = value { return true } else { return false }
        case "iterable", "sequence":
            switch value {
            case .string, .list, .dict: return true
            case .undefined: return name == "iterable"
            default: return false
            }
        case "callable":
            switch value {
            case .macro, .function, .method: return true
            default: return false
            }
        case "sameas":
            switch (value, argument) {
            case (.none, .none): return true
            case (.boolean(let a), .boolean(let b)): return a == b
            case (.namespace(let a), .namespace(let b)): return a === b
            default: return false
            }
        case "eq", "equalto", "==": return value.equals(argument)
        case "ne", "!=": return !value.equals(argument)
        case "lt", "<", "lessthan": return try compare(value, argument, op: "<", line: line) < 0
        case "le", "<=": return try compare(value, argument, op: "<=", line: line) <= 0
        case "gt", ">", "greaterthan": return try compare(value, argument, op: ">", line: line) > 0
        case "ge", ">=": return try compare(value, argument, op: ">=", line: line) >= 0
        case "in": return try contains(argument, value, line: line)
        case "odd", "even", "divisibleby":
            guard let number = value.integer else {
                throw .templateRuntime(message: "the test '\(name)' needs an integer, got '\(value.typeName)'", line: line)
            }
            if name == "odd" { return number % 2 != 0 }
            if name == "even" { return number % 2 == 0 }
            guard let divisor = argument.integer, divisor != 0 else {
                throw .templateRuntime(message: "divisibleby needs a non-zero integer", line: line)
            }
            return number % divisor == 0
        case "lower", "upper":
            let text = value.text
            return name == "lower" ? text == text.lowercased() : text == text.uppercased()
        case "filter": return Self.filterNames.contains(argument.text)
        case "test": return Self.testNames.contains(argument.text)
        default:
            throw .unsupportedTemplateConstruct(construct: "test '\(name)'", line: line)
        }
    }

    /// The tests implemented.
    static let testNames: Set<String> = [
        "defined", "undefined", "none", "boolean", "true", "false", "integer", "float", "number", "string", "mapping",
        "iterable", "sequence", "callable", "sameas", "eq", "equalto", "==", "ne", "!=", "lt", "<", "lessthan", "le",
        "<=", "gt", ">", "greaterthan", "ge", ">=", "in", "odd", "even", "divisibleby", "lower", "upper", "filter", "test",
    ]
}
