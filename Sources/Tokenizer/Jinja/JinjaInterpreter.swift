/// Runs a parsed Jinja template: statements write to an output string, expressions evaluate to
/// ``JinjaValue``s with Python's semantics, as Jinja2 in Hugging Face's
/// `ImmutableSandboxedEnvironment` would (so `list.append` and other mutating methods are refused,
/// as there).
///
/// Scoping follows Jinja2: every loop iteration and macro call has its own scope, so a `set`
/// inside a loop is not seen after it (templates use `namespace()` for that); `if` has none.
final class JinjaInterpreter {
    /// What a statement list ended with: normally, or at `{% break %}` / `{% continue %}`.
    enum Flow { case normal, breakLoop, continueLoop }

    /// The Unix time `strftime_now` formats (UTC).
    let now: Double
    /// Macro calls in progress, bounded by ``maximumCallDepth``.
    var callDepth = 0

    /// The deepest macro recursion accepted (Jinja2 would hit Python's recursion limit).
    static let maximumCallDepth = 100
    /// The longest string or list an operation may build, so that `'x' * 10**12` is an error.
    static let maximumLength = 1 << 26
    /// The most loop iterations and macro calls one render may run, all together: nested loops
    /// multiply (two nested `range(100000)` would run 10^10 times) and so do macros that call
    /// themselves twice (2^100 calls within ``maximumCallDepth``). Real templates run a few per
    /// message; this is about 2 s of rendering under AddressSanitizer.
    static let maximumIterations = 100_000
    /// The most characters or elements one render may build with `~`, `+` and `*` and write to
    /// its output, all together, so that a loop doubling a string, or printing a long one many
    /// times, stops with an error instead of exhausting memory or time.
    static let maximumBuilt = 1 << 28

    /// The deepest nesting of lists, dicts and namespaces an assignment may store. Values nest
    /// only as deep as the parser allows (``JinjaParser/maximumDepth``) within one expression, but
    /// `{% set ns.x = [ns.x] %}` in a loop nests without bound, and printing, comparing or even
    /// freeing such a value recurses once per level until the stack overflows.
    static let maximumNesting = 256

    /// Loop iterations and macro calls run so far, bounded by ``maximumIterations``.
    var iterations = 0
    /// Characters and elements built so far, bounded by ``maximumBuilt``.
    var built = 0

    init(now: Double) { self.now = now }

    /// Renders `nodes` with `variables` as the template's globals.
    func render(_ nodes: [JinjaNode], variables: [String: JinjaValue]) throws(TokenizerError) -> String {
        let globals = JinjaScope(parent: nil)
        for name in ["raise_exception", "strftime_now", "namespace", "range", "dict"] { globals.set(name, .function(name)) }
        for (name, value) in variables { globals.set(name, value) }
        var output = ""
        _ = try execute(nodes, scope: JinjaScope(parent: globals), into: &output)
        return output
    }

    // MARK: Statements

    func execute(_ nodes: [JinjaNode], scope: JinjaScope, into output: inout String) throws(TokenizerError) -> Flow {
        for node in nodes {
            switch node {
            case .text(let text, let line):
                try build(text.utf8.count, line: line)
                output += text
            case .output(let expression, let line):
                let text = try evaluate(expression, scope: scope).text
                try build(text.utf8.count, line: line)
                output += text
            case .conditional(let branches, let otherwise):
                var body = otherwise
                for branch in branches where try evaluate(branch.condition, scope: scope).isTruthy {
                    body = branch.body
                    break
                }
                let flow = try execute(body, scope: scope, into: &output)
                if flow != .normal { return flow }
            case .loop(let targets, let iterable, let filter, let body, let otherwise, let line):
                try runLoop(targets: targets, iterable: iterable, filter: filter, body: body, otherwise: otherwise,
                            line: line, scope: scope, into: &output)
            case .assignment(let target, let expression, let line):
                try assign(try evaluate(expression, scope: scope), to: target, line: line, scope: scope)
            case .blockAssignment(let name, let body):
                var text = ""
                _ = try execute(body, scope: scope, into: &text)
                scope.set(name, .string(text))
            case .macro(let definition):
                scope.set(definition.name, .macro(JinjaMacro(definition: definition, scope: scope)))
            case .filterBlock(let name, let arguments, let body, let line):
                var text = ""
                _ = try execute(body, scope: scope, into: &text)
                let filtered = try applyFilter(name, to: .string(text), arguments: arguments, line: line, scope: scope).text
                try build(filtered.utf8.count, line: line)
                output += filtered
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            }
        }
        return .normal
    }

    private func runLoop(targets: [String], iterable: JinjaExpression, filter: JinjaExpression?, body: [JinjaNode],
                         otherwise: [JinjaNode], line: Int, scope: JinjaScope, into output: inout String) throws(TokenizerError) {
        var items = try iterate(try evaluate(iterable, scope: scope), line: line)
        if let filter {
            var kept: [JinjaValue] = []
            for item in items {
                try countIteration(line: line)
                let iteration = JinjaScope(parent: scope)
                try bind(item, to: targets, line: line, scope: iteration)
                if try evaluate(filter, scope: iteration).isTruthy { kept.append(item) }
            }
            items = kept
        }
        guard !items.isEmpty else {
            _ = try execute(otherwise, scope: scope, into: &output)
            return
        }
        for (index, item) in items.enumerated() {
            try countIteration(line: line)
            let iteration = JinjaScope(parent: scope)
            try bind(item, to: targets, line: line, scope: iteration)
            var loop = JinjaDictionary()
            loop["index"] = .integer(index + 1)
            loop["index0"] = .integer(index)
            loop["revindex"] = .integer(items.count - index)
            loop["revindex0"] = .integer(items.count - index - 1)
            loop["first"] = .boolean(index == 0)
            loop["last"] = .boolean(index == items.count - 1)
            loop["length"] = .integer(items.count)
            loop["depth"] = .integer(1)
            loop["depth0"] = .integer(0)
            loop["previtem"] = index > 0 ? items[index - 1] : .undefined("there is no previous item")
            loop["nextitem"] = index + 1 < items.count ? items[index + 1] : .undefined("there is no next item")
            iteration.set("loop", .dict(loop))
            if try execute(body, scope: iteration, into: &output) == .breakLoop { break }
        }
    }

    /// Counts one loop iteration or macro call against ``maximumIterations``.
    func countIteration(line: Int) throws(TokenizerError) {
        iterations += 1
        if iterations > Self.maximumIterations {
            throw .templateRuntime(
                message: "more than \(Self.maximumIterations) loop iterations and macro calls", line: line)
        }
    }

    /// Counts `count` characters or elements built against ``maximumBuilt``.
    func build(_ count: Int, line: Int) throws(TokenizerError) {
        built += count
        if built > Self.maximumBuilt {
            throw .templateRuntime(message: "the template built more than \(Self.maximumBuilt) characters", line: line)
        }
    }

    /// Refuses to store `value` when it nests deeper than ``maximumNesting`` or holds `target`, the
    /// namespace it is being stored in (a cycle, which would print forever). Each element looked
    /// at counts against ``maximumBuilt``.
    func checkNesting(_ value: JinjaValue, storedIn target: JinjaNamespace?, line: Int) throws(TokenizerError) {
        var pending: [(value: JinjaValue, depth: Int)] = [(value, 1)]
        while let (value, depth) = pending.popLast() {
            var children: [JinjaValue]
            switch value {
            case .list(let items): children = items
            case .dict(let dictionary): children = dictionary.entries.map(\.value)
            case .namespace(let namespace):
                if namespace === target {
                    throw .templateRuntime(message: "a namespace cannot hold itself", line: line)
                }
                children = namespace.attributes.entries.map(\.value)
            case .method(let box, _): children = [box.value]
            default: continue
            }
            guard depth <= Self.maximumNesting else {
                throw .templateRuntime(message: "a value nested deeper than \(Self.maximumNesting) levels", line: line)
            }
            try build(children.count, line: line)
            children.removeAll { child in
                switch child {
                case .list, .dict, .namespace, .method: false
                default: true
                }
            }
            for child in children { pending.append((child, depth + 1)) }
        }
    }

    private func bind(_ value: JinjaValue, to names: [String], line: Int, scope: JinjaScope) throws(TokenizerError) {
        guard names.count > 1 else {
            scope.set(names[0], value)
            return
        }
        let parts = try iterate(value, line: line)
        guard parts.count == names.count else {
            throw .templateRuntime(message: "cannot unpack \(parts.count) values into \(names.count) names", line: line)
        }
        for (name, part) in zip(names, parts) { scope.set(name, part) }
    }

    private func assign(_ value: JinjaValue, to target: JinjaAssignmentTarget, line: Int, scope: JinjaScope) throws(TokenizerError) {
        switch target {
        case .names(let names):
            try checkNesting(value, storedIn: nil, line: line)
            try bind(value, to: names, line: line, scope: scope)
        case .attribute(let name, let attribute):
            guard case .namespace(let namespace)? = scope.lookup(name) else {
                throw .templateRuntime(message: "cannot assign attribute on non-namespace object '\(name)'", line: line)
            }
            try checkNesting(value, storedIn: namespace, line: line)
            namespace.attributes[attribute] = value
        }
    }

    /// Python's `iter(value)` as Jinja2 uses it: lists, dict keys, string characters; undefined
    /// iterates as empty.
    func iterate(_ value: JinjaValue, line: Int) throws(TokenizerError) -> [JinjaValue] {
        switch value {
        case .undefined: return []
        case .list(let items): return items
        case .dict(let dictionary): return dictionary.keys
        case .string(let text): return text.unicodeScalars.map { .string(String($0)) }
        default: throw .templateRuntime(message: "'\(value.typeName)' object is not iterable", line: line)
        }
    }

    // MARK: Expressions

    func evaluate(_ expression: JinjaExpression, scope: JinjaScope) throws(TokenizerError) -> JinjaValue {
        switch expression {
        case .constant(let constant):
            return JinjaValue(constant)
        case .name(let name, _):
            return scope.lookup(name) ?? .undefined("'\(name)' is undefined")
        case .list(let items), .tuple(let items):
            var values: [JinjaValue] = []
            for item in items { values.append(try evaluate(item, scope: scope)) }
            return .list(values)
        case .dict(let pairs):
            var dictionary = JinjaDictionary()
            for pair in pairs {
                dictionary[try evaluate(pair.key, scope: scope)] = try evaluate(pair.value, scope: scope)
            }
            return .dict(dictionary)
        case .attribute(let base, let name, let line):
            return try attribute(name, of: try evaluate(base, scope: scope), line: line)
        case .index(let base, let key, let line):
            return try item(try evaluate(key, scope: scope), of: try evaluate(base, scope: scope), line: line)
        case .slice(let base, let start, let stop, let step, let line):
            let value = try evaluate(base, scope: scope)
            return try slice(value, start: try start.map { e throws(TokenizerError) in try evaluate(e, scope: scope) },
                             stop: try stop.map { e throws(TokenizerError) in try evaluate(e, scope: scope) },
                             step: try step.map { e throws(TokenizerError) in try evaluate(e, scope: scope) }, line: line)
        case .call(let callee, let arguments, let line):
            let function = try evaluate(callee, scope: scope)
            if function.isUndefined, let construct = Self.unsupportedCallee(callee) {
                throw .unsupportedTemplateConstruct(construct: construct, line: line)
            }
            let (positional, named) = try evaluate(arguments, scope: scope)
            return try call(function, positional: positional, named: named, line: line)
        case .filter(let base, let name, let arguments, let line):
            return try applyFilter(name, to: try evaluate(base, scope: scope), arguments: arguments, line: line, scope: scope)
        case .test(let base, let name, let arguments, let negated, let line):
            let value = try evaluate(base, scope: scope)
            let (positional, _) = try evaluate(arguments, scope: scope)
            return .boolean(try applyTest(name, to: value, arguments: positional, line: line) != negated)
        case .unary(let op, let operand, let line):
            let value = try evaluate(operand, scope: scope)
            if op == "not" { return .boolean(!value.isTruthy) }
            switch value {
            case .integer(let number): return .integer(op == "-" ? -number : number)
            case .boolean(let flag): return .integer(op == "-" ? (flag ? -1 : 0) : (flag ? 1 : 0))
            case .float(let number): return .float(op == "-" ? -number : number)
            case .undefined(let message): throw .templateRuntime(message: message, line: line)
            default: throw .templateRuntime(message: "bad operand type for unary \(op): '\(value.typeName)'", line: line)
            }
        case .binary("and", let left, let right, _):
            let value = try evaluate(left, scope: scope)
            return value.isTruthy ? try evaluate(right, scope: scope) : value
        case .binary("or", let left, let right, _):
            let value = try evaluate(left, scope: scope)
            return value.isTruthy ? value : try evaluate(right, scope: scope)
        case .binary(let op, let left, let right, let line):
            return try binary(op, try evaluate(left, scope: scope), try evaluate(right, scope: scope), line: line)
        case .conditional(let value, let condition, let otherwise):
            if try evaluate(condition, scope: scope).isTruthy { return try evaluate(value, scope: scope) }
            return try otherwise.map { e throws(TokenizerError) in try evaluate(e, scope: scope) }
                ?? .undefined("the inline if expression evaluated to false and no else section was defined")
        }
    }

    /// Jinja2 globals and loop helpers the interpreter does not implement, named for the error.
    private static func unsupportedCallee(_ callee: JinjaExpression) -> String? {
        switch callee {
        case .name(let name, _) where ["cycler", "joiner", "lipsum"].contains(name):
            return "function '\(name)'"
        case .attribute(.name("loop", _), let name, _) where name == "cycle" || name == "changed":
            return "loop.\(name)()"
        default:
            return nil
        }
    }

    func evaluate(_ arguments: JinjaArguments, scope: JinjaScope) throws(TokenizerError) -> ([JinjaValue], [(String, JinjaValue)]) {
        var positional: [JinjaValue] = []
        for argument in arguments.positional { positional.append(try evaluate(argument, scope: scope)) }
        var named: [(String, JinjaValue)] = []
        for argument in arguments.named { named.append((argument.name, try evaluate(argument.value, scope: scope))) }
        return (positional, named)
    }

    /// `value.name`: Jinja2's `getattr` (a method or attribute first, then the item `value[name]`).
    func attribute(_ name: String, of value: JinjaValue, line: Int) throws(TokenizerError) -> JinjaValue {
        switch value {
        case .undefined(let message):
            throw .templateRuntime(message: message, line: line)
        case .dict(let dictionary):
            if Self.dictionaryMethods.contains(name) { return .method(JinjaBox(value), name) }
            return dictionary[name] ?? .undefined("'dict object' has no attribute '\(name)'")
        case .string:
            if Self.stringMethods.contains(name) { return .method(JinjaBox(value), name) }
        case .list:
            if Self.listMethods.contains(name) { return .method(JinjaBox(value), name) }
        case .namespace(let namespace):
            return namespace.attributes[name] ?? .undefined("'Namespace' has no attribute '\(name)'")
        default:
            break
        }
        return .undefined("'\(value.typeName) object' has no attribute '\(name)'")
    }

    /// `value[key]`: Jinja2's `getitem` (the item first, then an attribute named `key`).
    func item(_ key: JinjaValue, of value: JinjaValue, line: Int) throws(TokenizerError) -> JinjaValue {
        switch (value, key) {
        case (.undefined(let message), _):
            throw .templateRuntime(message: message, line: line)
        case (.dict(let dictionary), _):
            if let item = dictionary[key] { return item }
            if case .string(let name) = key { return try attribute(name, of: value, line: line) }
        case (.list(let items), _):
            if let position = key.integer, let index = Self.index(position, count: items.count) { return items[index] }
        case (.string(let text), _):
            let scalars = Array(text.unicodeScalars)
            if let position = key.integer, let index = Self.index(position, count: scalars.count) {
                return .string(String(scalars[index]))
            }
        case (_, .string(let name)):
            return try attribute(name, of: value, line: line)
        default:
            break
        }
        return .undefined("'\(value.typeName) object' has no element \(key.repr)")
    }

    private static func index(_ position: Int, count: Int) -> Int? {
        let index = position < 0 ? position + count : position
        return (0..<count).contains(index) ? index : nil
    }

    private func slice(_ value: JinjaValue, start: JinjaValue?, stop: JinjaValue?, step: JinjaValue?,
                       line: Int) throws(TokenizerError) -> JinjaValue {
        func bound(_ value: JinjaValue?) throws(TokenizerError) -> Int? {
            guard let value else { return nil }
            if case .none = value { return nil }
            guard let number = value.integer else {
                throw .templateRuntime(message: "slice indices must be integers or None", line: line)
            }
            return number
        }
        let lower = try bound(start), upper = try bound(stop), step = try bound(step) ?? 1
        guard step != 0 else { throw .templateRuntime(message: "slice step cannot be zero", line: line) }
        // Python's slice.indices(count).
        func indices(_ count: Int) -> [Int] {
            func clamp(_ value: Int?, _ defaultValue: Int) -> Int {
                guard var value else { return defaultValue }
                if value < 0 { value += count }
                return step > 0 ? min(max(value, 0), count) : min(max(value, -1), count - 1)
            }
            var result: [Int] = []
            var i = clamp(lower, step > 0 ? 0 : count - 1)
            let end = clamp(upper, step > 0 ? count : -1)
            while step > 0 ? i < end : i > end {
                result.append(i)
                i += step
            }
            return result
        }
        switch value {
        case .list(let items): return .list(indices(items.count).map { items[$0] })
        case .string(let text):
            let scalars = Array(text.unicodeScalars)
            var result = ""
            for index in indices(scalars.count) { result.unicodeScalars.append(scalars[index]) }
            return .string(result)
        case .undefined(let message): throw .templateRuntime(message: message, line: line)
        default: throw .templateRuntime(message: "'\(value.typeName)' object is not subscriptable", line: line)
        }
    }
}
