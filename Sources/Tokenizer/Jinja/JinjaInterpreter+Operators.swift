import Foundation

extension JinjaInterpreter {
    /// A binary operator other than `and`/`or`, with Python's semantics.
    func binary(_ op: String, _ left: JinjaValue, _ right: JinjaValue, line: Int) throws(TokenizerError) -> JinjaValue {
        switch op {
        case "~":
            let (a, b) = (left.text, right.text)
            try build(a.utf8.count + b.utf8.count, line: line)
            return .string(a + b)
        case "==": return .boolean(left.equals(right))
        case "!=": return .boolean(!left.equals(right))
        case "<", "<=", ">", ">=":
            let order = try compare(left, right, op: op, line: line)
            switch op {
            case "<": return .boolean(order < 0)
            case "<=": return .boolean(order <= 0)
            case ">": return .boolean(order > 0)
            default: return .boolean(order >= 0)
            }
        case "in": return .boolean(try contains(right, left, line: line))
        case "not in": return .boolean(!(try contains(right, left, line: line)))
        default: break
        }
        for operand in [left, right] {
            if case .undefined(let message) = operand { throw .templateRuntime(message: message, line: line) }
        }
        switch (op, left, right) {
        case ("+", .string(let a), .string(let b)):
            try build(a.utf8.count + b.utf8.count, line: line)
            return .string(a + b)
        case ("+", .list(let a), .list(let b)):
            try build(a.count + b.count, line: line)
            return .list(a + b)
        case ("*", .string(let text), _) where right.integer != nil:
            let count = max(0, right.integer ?? 0)
            try checkLength(text.utf8.count, times: count, line: line)
            return .string(String(repeating: text, count: count))
        case ("*", .list(let items), _) where right.integer != nil:
            let count = max(0, right.integer ?? 0)
            try checkLength(items.count, times: count, line: line)
            return .list(Array([[JinjaValue]](repeating: items, count: count).joined()))
        case ("%", .string, _):
            throw .unsupportedTemplateConstruct(construct: "printf-style string formatting ('…' % value)", line: line)
        default: break
        }
        if let a = left.integer, let b = right.integer, op != "/" {
            return try integerArithmetic(op, a, b, line: line)
        }
        guard let a = left.number, let b = right.number else {
            throw .templateRuntime(
                message: "unsupported operand type(s) for \(op): '\(left.typeName)' and '\(right.typeName)'", line: line)
        }
        switch op {
        case "+": return .float(a + b)
        case "-": return .float(a - b)
        case "*": return .float(a * b)
        case "/", "//", "%":
            guard b != 0 else { throw .templateRuntime(message: "division by zero", line: line) }
            if op == "/" { return .float(a / b) }
            let quotient = (a / b).rounded(.down)
            return .float(op == "//" ? quotient : a - quotient * b)
        default: return .float(Foundation.pow(a, b))
        }
    }

    private func checkLength(_ length: Int, times count: Int, line: Int) throws(TokenizerError) {
        let (total, overflow) = length.multipliedReportingOverflow(by: count)
        if overflow || total > Self.maximumLength {
            throw .templateRuntime(message: "repetition would build more than \(Self.maximumLength) elements", line: line)
        }
        try build(total, line: line)
    }

    private func integerArithmetic(_ op: String, _ a: Int, _ b: Int, line: Int) throws(TokenizerError) -> JinjaValue {
        let result: (Int, Bool)
        switch op {
        case "+": result = a.addingReportingOverflow(b)
        case "-": result = a.subtractingReportingOverflow(b)
        case "*": result = a.multipliedReportingOverflow(by: b)
        case "//", "%":
            guard b != 0 else { throw .templateRuntime(message: "integer division or modulo by zero", line: line) }
            var quotient = a / b
            if (a % b != 0) && ((a < 0) != (b < 0)) { quotient -= 1 }
            result = (op == "//" ? quotient : a - quotient * b, false)
        default:
            guard b >= 0 else { return .float(Foundation.pow(Double(a), Double(b))) }
            var power = 1
            var overflow = false
            for _ in 0..<min(b, 64) where !overflow { (power, overflow) = power.multipliedReportingOverflow(by: a) }
            result = (power, overflow)
        }
        guard !result.1 else { throw .templateRuntime(message: "integer overflow in \(op)", line: line) }
        return .integer(result.0)
    }

    /// Python's ordering: -1, 0 or 1.
    func compare(_ left: JinjaValue, _ right: JinjaValue, op: String, line: Int) throws(TokenizerError) -> Int {
        switch (left, right) {
        case (.string(let a), .string(let b)):
            let x = a.unicodeScalars.map(\.value), y = b.unicodeScalars.map(\.value)
            return x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
        case (.list(let a), .list(let b)):
            for (x, y) in zip(a, b) where !x.equals(y) { return try compare(x, y, op: op, line: line) }
            return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
        default:
            if let a = left.number, let b = right.number { return a < b ? -1 : (a == b ? 0 : 1) }
            if case .undefined(let message) = left { throw .templateRuntime(message: message, line: line) }
            if case .undefined(let message) = right { throw .templateRuntime(message: message, line: line) }
            throw .templateRuntime(
                message: "'\(op)' not supported between instances of '\(left.typeName)' and '\(right.typeName)'", line: line)
        }
    }

    /// Python's `element in container`.
    func contains(_ container: JinjaValue, _ element: JinjaValue, line: Int) throws(TokenizerError) -> Bool {
        switch container {
        case .undefined: return false
        case .string(let text):
            guard case .string(let part) = element else {
                throw .templateRuntime(message: "'in <string>' requires string as left operand, not \(element.typeName)", line: line)
            }
            return part.isEmpty || text.contains(part)
        case .list(let items): return items.contains { $0.equals(element) }
        case .dict(let dictionary):
            return dictionary[element] != nil
        default:
            throw .templateRuntime(message: "argument of type '\(container.typeName)' is not iterable", line: line)
        }
    }

    /// Calls a macro, a global function or a method.
    func call(_ function: JinjaValue, positional: [JinjaValue], named: [(String, JinjaValue)],
              line: Int) throws(TokenizerError) -> JinjaValue {
        switch function {
        case .macro(let macro):
            return try callMacro(macro, positional: positional, named: named, line: line)
        case .method(let receiver, let name):
            return try callMethod(name, on: receiver.value, arguments: positional, named: named, line: line)
        case .function("raise_exception"):
            throw .templateException(message: positional.first?.text ?? "")
        case .function("strftime_now"):
            guard case .string(let format)? = positional.first else {
                throw .templateRuntime(message: "strftime_now needs a format string", line: line)
            }
            return .string(Self.strftime(format, unixTime: now))
        case .function(let name) where name == "namespace" || name == "dict":
            var attributes = JinjaDictionary()
            if case .dict(let initial)? = positional.first { attributes = initial }
            for (key, value) in named { attributes[key] = value }
            return name == "namespace" ? .namespace(JinjaNamespace(attributes)) : .dict(attributes)
        case .function("range"):
            let bounds = positional.compactMap(\.integer)
            guard bounds.count == positional.count, (1...3).contains(bounds.count) else {
                throw .templateRuntime(message: "range() takes 1 to 3 integers", line: line)
            }
            let start = bounds.count > 1 ? bounds[0] : 0, stop = bounds.count > 1 ? bounds[1] : bounds[0]
            let step = bounds.count > 2 ? bounds[2] : 1
            guard step != 0 else { throw .templateRuntime(message: "range() arg 3 must not be zero", line: line) }
            return .list(Swift.stride(from: start, to: stop, by: step).prefix(100_000).map(JinjaValue.integer))
        case .undefined(let message):
            throw .templateRuntime(message: message, line: line)
        default:
            throw .templateRuntime(message: "'\(function.typeName)' object is not callable", line: line)
        }
    }

    private func callMacro(_ macro: JinjaMacro, positional: [JinjaValue], named: [(String, JinjaValue)],
                           line: Int) throws(TokenizerError) -> JinjaValue {
        let parameters = macro.definition.parameters
        guard positional.count <= parameters.count else {
            throw .templateRuntime(message: "macro '\(macro.definition.name)' takes not more than \(parameters.count) argument(s)", line: line)
        }
        guard callDepth < Self.maximumCallDepth else {
            throw .templateRuntime(message: "maximum recursion depth exceeded in macro '\(macro.definition.name)'", line: line)
        }
        try countIteration(line: line)
        callDepth += 1
        defer { callDepth -= 1 }
        let scope = JinjaScope(parent: macro.scope)
        for (index, parameter) in parameters.enumerated() {
            if index < positional.count {
                scope.set(parameter.name, positional[index])
            } else if let value = named.last(where: { $0.0 == parameter.name })?.1 {
                scope.set(parameter.name, value)
            } else if let defaultValue = parameter.defaultValue {
                scope.set(parameter.name, try evaluate(defaultValue, scope: scope))
            } else {
                scope.set(parameter.name, .undefined("parameter '\(parameter.name)' was not provided"))
            }
        }
        if let unknown = named.first(where: { name in !parameters.contains { $0.name == name.0 } }) {
            throw .templateRuntime(message: "macro '\(macro.definition.name)' takes no keyword argument '\(unknown.0)'", line: line)
        }
        var output = ""
        _ = try execute(macro.definition.body, scope: scope, into: &output)
        return .string(output)
    }
}
