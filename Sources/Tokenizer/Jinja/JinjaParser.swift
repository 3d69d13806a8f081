/// Parses Jinja tokens into statements and expressions with Jinja2's grammar and operator
/// precedence (loosest first): `x if c else y`, `or`, `and`, `not`, comparisons and `in`, `+ -`,
/// `~`, `* / // %`, `**`, unary `- +`, then filters `|f`, tests `is t`, calls, attributes,
/// subscripts and slices on a primary.
struct JinjaParser {
    private let tokens: [JinjaToken]
    private var index = 0
    /// How deeply statements and expressions nest right now.
    private var depth = 0

    /// The deepest nesting accepted, so that hostile input is an error and not a stack overflow.
    static let maximumDepth = 200

    private mutating func enter(line: Int) throws(TokenizerError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw .templateSyntax(message: "nesting deeper than \(Self.maximumDepth) levels", line: line)
        }
    }

    /// The template's statements.
    ///
    /// - Throws: ``TokenizerError/templateSyntax(message:line:)`` for malformed source,
    ///   ``TokenizerError/unsupportedTemplateConstruct(construct:line:)`` for a tag the interpreter
    ///   does not implement (`{% raw %}`, `{% call %}`, `{% include %}`, …).
    static func parse(_ tokens: [JinjaToken]) throws(TokenizerError) -> [JinjaNode] {
        var parser = JinjaParser(tokens: tokens)
        let (nodes, end) = try parser.parseBody(until: [])
        if let end { throw .templateSyntax(message: "unexpected '{% \(end) %}'", line: parser.previousLine) }
        return nodes
    }

    private init(tokens: [JinjaToken]) { self.tokens = tokens }

    // MARK: Token helpers

    private var current: JinjaToken { tokens[index] }
    private var previousLine: Int { tokens[max(0, index - 1)].line }

    private mutating func next() -> JinjaToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }
    private func isName(_ name: String) -> Bool { current.kind == .name(name) }

    private mutating func skip(symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        index += 1
        return true
    }

    private mutating func skip(name: String) -> Bool {
        guard isName(name) else { return false }
        index += 1
        return true
    }

    private mutating func expect(symbol: String) throws(TokenizerError) {
        guard skip(symbol: symbol) else { throw unexpected("'\(symbol)'") }
    }

    private mutating func expectName() throws(TokenizerError) -> String {
        guard case .name(let name) = current.kind else { throw unexpected("a name") }
        index += 1
        return name
    }

    private mutating func expectBlockEnd() throws(TokenizerError) {
        guard current.kind == .blockEnd else { throw unexpected("'%}'") }
        index += 1
    }

    private func unexpected(_ wanted: String) -> TokenizerError {
        .templateSyntax(message: "expected \(wanted), found \(Self.describe(current.kind))", line: current.line)
    }

    private static func describe(_ kind: JinjaToken.Kind) -> String {
        switch kind {
        case .text: "text"
        case .outputBegin: "'{{'"
        case .outputEnd: "'}}'"
        case .blockBegin: "'{%'"
        case .blockEnd: "'%}'"
        case .name(let name): "'\(name)'"
        case .string(let string): "string '\(string.prefix(20))'"
        case .integer(let value): "\(value)"
        case .float(let value): "\(value)"
        case .symbol(let symbol): "'\(symbol)'"
        case .end: "the end of the template"
        }
    }

    // MARK: Statements

    /// Nodes up to a `{% name %}` tag with `name` in `ends` (consumed up to the name), or the end.
    private mutating func parseBody(until ends: Set<String>) throws(TokenizerError) -> ([JinjaNode], String?) {
        var nodes: [JinjaNode] = []
        while true {
            let token = next()
            switch token.kind {
            case .text(let text):
                nodes.append(.text(text, line: token.line))
            case .outputBegin:
                nodes.append(.output(try parseTuple(), line: token.line))
                guard current.kind == .outputEnd else { throw unexpected("'}}'") }
                index += 1
            case .blockBegin:
                guard case .name(let name) = current.kind else { throw unexpected("a statement name") }
                if ends.contains(name) {
                    index += 1
                    return (nodes, name)
                }
                if let node = try parseStatement(name, line: current.line) { nodes.append(contentsOf: node) }
            case .end:
                if !ends.isEmpty {
                    throw .templateSyntax(message: "missing '{% \(ends.sorted().joined(separator: "' or '{% ")) %}'",
                                          line: token.line)
                }
                return (nodes, nil)
            default:
                throw .templateSyntax(message: "unexpected \(Self.describe(token.kind))", line: token.line)
            }
        }
    }

    private mutating func parseStatement(_ name: String, line: Int) throws(TokenizerError) -> [JinjaNode]? {
        try enter(line: line)
        defer { depth -= 1 }
        index += 1
        switch name {
        case "if": return [try parseIf()]
        case "for": return [try parseFor(line: line)]
        case "set": return [try parseSet(line: line)]
        case "macro": return [try parseMacro()]
        case "filter":
            let filter = try expectName()
            let arguments = isSymbol("(") ? try parseArguments() : JinjaArguments()
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endfilter"])
            try expectBlockEnd()
            return [.filterBlock(filter, arguments, body: body, line: line)]
        case "generation":
            // HF's AssistantTracker extension: the body renders as is.
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endgeneration"])
            try expectBlockEnd()
            return body
        case "break", "continue":
            try expectBlockEnd()
            return [name == "break" ? .breakLoop : .continueLoop]
        case "elif", "else", "endif", "endfor", "endset", "endmacro", "endfilter", "endgeneration":
            throw .templateSyntax(message: "unexpected '{% \(name) %}'", line: line)
        default:
            throw .unsupportedTemplateConstruct(construct: "{% \(name) %}", line: line)
        }
    }

    private mutating func parseIf() throws(TokenizerError) -> JinjaNode {
        var branches: [(condition: JinjaExpression, body: [JinjaNode])] = []
        var condition = try parseTuple()
        while true {
            try expectBlockEnd()
            let (body, end) = try parseBody(until: ["elif", "else", "endif"])
            branches.append((condition, body))
            switch end {
            case "elif":
                condition = try parseTuple()
            case "else":
                try expectBlockEnd()
                let (otherwise, _) = try parseBody(until: ["endif"])
                try expectBlockEnd()
                return .conditional(branches: branches, otherwise: otherwise)
            default:
                try expectBlockEnd()
                return .conditional(branches: branches, otherwise: [])
            }
        }
    }

    private mutating func parseFor(line: Int) throws(TokenizerError) -> JinjaNode {
        var targets = [try expectName()]
        while skip(symbol: ",") { targets.append(try expectName()) }
        guard skip(name: "in") else { throw unexpected("'in'") }
        let iterable = try parseTuple(allowConditional: false)
        var filter: JinjaExpression?
        if skip(name: "if") { filter = try parseExpression() }
        if isName("recursive") { throw .unsupportedTemplateConstruct(construct: "recursive for loop", line: line) }
        try expectBlockEnd()
        let (body, end) = try parseBody(until: ["else", "endfor"])
        var otherwise: [JinjaNode] = []
        try expectBlockEnd()
        if end == "else" {
            (otherwise, _) = try parseBody(until: ["endfor"])
            try expectBlockEnd()
        }
        return .loop(targets: targets, iterable: iterable, filter: filter, body: body, otherwise: otherwise, line: line)
    }

    private mutating func parseSet(line: Int) throws(TokenizerError) -> JinjaNode {
        let first = try expectName()
        var target = JinjaAssignmentTarget.names([first])
        if skip(symbol: ".") {
            target = .attribute(first, try expectName())
        } else if isSymbol(",") {
            var names = [first]
            while skip(symbol: ",") { names.append(try expectName()) }
            target = .names(names)
        }
        if current.kind == .blockEnd, case .names(let names) = target, names.count == 1 {
            index += 1
            let (body, _) = try parseBody(until: ["endset"])
            try expectBlockEnd()
            return .blockAssignment(first, body: body)
        }
        if isSymbol("|") { throw .unsupportedTemplateConstruct(construct: "filtered block set", line: line) }
        try expect(symbol: "=")
        let value = try parseTuple()
        try expectBlockEnd()
        return .assignment(target, value, line: line)
    }

    private mutating func parseMacro() throws(TokenizerError) -> JinjaNode {
        let name = try expectName()
        try expect(symbol: "(")
        var parameters: [(name: String, defaultValue: JinjaExpression?)] = []
        while !skip(symbol: ")") {
            if !parameters.isEmpty { try expect(symbol: ",") }
            if skip(symbol: ")") { break }
            let parameter = try expectName()
            parameters.append((parameter, skip(symbol: "=") ? try parseExpression() : nil))
        }
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endmacro"])
        if case .name = current.kind { index += 1 }  // `{% endmacro name %}`
        try expectBlockEnd()
        return .macro(JinjaMacroDefinition(name: name, parameters: parameters, body: body))
    }

    // MARK: Expressions

    /// An expression, or several separated by commas (a tuple), as `{{ }}`, `set` and `for` allow.
    private mutating func parseTuple(allowConditional: Bool = true) throws(TokenizerError) -> JinjaExpression {
        let first = allowConditional ? try parseExpression() : try parseOr()
        guard isSymbol(",") else { return first }
        var items = [first]
        while skip(symbol: ",") {
            if current.kind == .blockEnd || current.kind == .outputEnd { break }
            items.append(allowConditional ? try parseExpression() : try parseOr())
        }
        return .tuple(items)
    }

    private mutating func parseExpression() throws(TokenizerError) -> JinjaExpression {
        try enter(line: current.line)
        defer { depth -= 1 }
        let value = try parseOr()
        guard skip(name: "if") else { return value }
        let condition = try parseOr()
        let otherwise = skip(name: "else") ? try parseExpression() : nil
        return .conditional(value, condition: condition, otherwise: otherwise)
    }

    private mutating func parseOr() throws(TokenizerError) -> JinjaExpression {
        var left = try parseAnd()
        while isName("or") {
            let line = next().line
            left = .binary("or", left, try parseAnd(), line: line)
        }
        return left
    }

    private mutating func parseAnd() throws(TokenizerError) -> JinjaExpression {
        var left = try parseNot()
        while isName("and") {
            let line = next().line
            left = .binary("and", left, try parseNot(), line: line)
        }
        return left
    }

    private mutating func parseNot() throws(TokenizerError) -> JinjaExpression {
        try enter(line: current.line)
        defer { depth -= 1 }
        if isName("not") {
            let line = next().line
            return .unary("not", try parseNot(), line: line)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(TokenizerError) -> JinjaExpression {
        var left = try parseAdditive()
        while true {
            let line = current.line
            if case .symbol(let op) = current.kind, ["==", "!=", "<", "<=", ">", ">="].contains(op) {
                index += 1
                left = .binary(op, left, try parseAdditive(), line: line)
            } else if isName("in") {
                index += 1
                left = .binary("in", left, try parseAdditive(), line: line)
            } else if isName("not"), tokens[index + 1].kind == .name("in") {
                index += 2
                left = .binary("not in", left, try parseAdditive(), line: line)
            } else {
                return left
            }
        }
    }

    private mutating func parseAdditive() throws(TokenizerError) -> JinjaExpression {
        var left = try parseConcatenation()
        while isSymbol("+") || isSymbol("-") {
            let token = next()
            guard case .symbol(let op) = token.kind else { break }
            left = .binary(op, left, try parseConcatenation(), line: token.line)
        }
        return left
    }

    private mutating func parseConcatenation() throws(TokenizerError) -> JinjaExpression {
        var left = try parseMultiplicative()
        while isSymbol("~") {
            let line = next().line
            left = .binary("~", left, try parseMultiplicative(), line: line)
        }
        return left
    }

    private mutating func parseMultiplicative() throws(TokenizerError) -> JinjaExpression {
        var left = try parsePower()
        while isSymbol("*") || isSymbol("/") || isSymbol("//") || isSymbol("%") {
            let token = next()
            guard case .symbol(let op) = token.kind else { break }
            left = .binary(op, left, try parsePower(), line: token.line)
        }
        return left
    }

    private mutating func parsePower() throws(TokenizerError) -> JinjaExpression {
        var left = try parseUnary()
        while isSymbol("**") {
            let line = next().line
            left = .binary("**", left, try parseUnary(), line: line)
        }
        return left
    }

    private mutating func parseUnary(withFilters: Bool = true) throws(TokenizerError) -> JinjaExpression {
        try enter(line: current.line)
        defer { depth -= 1 }
        var value: JinjaExpression
        if isSymbol("-") || isSymbol("+") {
            let token = next()
            guard case .symbol(let op) = token.kind else { throw unexpected("an expression") }
            value = .unary(op, try parseUnary(withFilters: false), line: token.line)
        } else {
            value = try parsePostfix(try parsePrimary())
        }
        return withFilters ? try parseFiltersAndTests(value) : value
    }

    private mutating func parseFiltersAndTests(_ start: JinjaExpression) throws(TokenizerError) -> JinjaExpression {
        var value = start
        while true {
            let line = current.line
            if skip(symbol: "|") {
                let name = try expectName()
                let arguments = isSymbol("(") ? try parseArguments() : JinjaArguments()
                value = try parsePostfix(.filter(value, name, arguments, line: line))
            } else if skip(name: "is") {
                let negated = skip(name: "not")
                let name = try expectName()
                var arguments = JinjaArguments()
                if isSymbol("(") {
                    arguments = try parseArguments()
                } else if startsTestArgument {
                    arguments.positional = [try parsePostfix(try parsePrimary())]
                }
                value = .test(value, name, arguments, negated: negated, line: line)
            } else {
                return value
            }
        }
    }

    /// Whether a test is followed by one argument without parentheses (`is sameas false`).
    private var startsTestArgument: Bool {
        switch current.kind {
        case .string, .integer, .float: return true
        case .name(let name): return !["else", "or", "and", "if", "in", "not", "is"].contains(name)
        case .symbol(let symbol): return symbol == "[" || symbol == "{"
        default: return false
        }
    }

    private mutating func parsePostfix(_ start: JinjaExpression) throws(TokenizerError) -> JinjaExpression {
        var value = start
        while true {
            let line = current.line
            if skip(symbol: ".") {
                switch next().kind {
                case .name(let name): value = .attribute(value, name, line: line)
                case .integer(let position): value = .index(value, .constant(.integer(position)), line: line)
                default: throw .templateSyntax(message: "expected an attribute name after '.'", line: line)
                }
            } else if skip(symbol: "[") {
                value = try parseSubscript(value, line: line)
            } else if isSymbol("(") {
                value = .call(value, try parseArguments(), line: line)
            } else {
                return value
            }
        }
    }

    private mutating func parseSubscript(_ value: JinjaExpression, line: Int) throws(TokenizerError) -> JinjaExpression {
        var parts: [JinjaExpression?] = [nil]
        var colons = 0
        while !skip(symbol: "]") {
            if skip(symbol: ":") {
                colons += 1
                guard colons <= 2 else { throw unexpected("']'") }
                parts.append(nil)
            } else {
                guard parts[parts.count - 1] == nil else { throw unexpected("':' or ']'") }
                parts[parts.count - 1] = try parseExpression()
            }
        }
        if colons == 0 {
            guard let index = parts[0] else { throw .templateSyntax(message: "empty subscript", line: line) }
            return .index(value, index, line: line)
        }
        return .slice(value, start: parts[0], stop: parts[1], step: parts.count > 2 ? parts[2] : nil, line: line)
    }

    private mutating func parseArguments() throws(TokenizerError) -> JinjaArguments {
        try expect(symbol: "(")
        var arguments = JinjaArguments()
        while !skip(symbol: ")") {
            if !arguments.positional.isEmpty || !arguments.named.isEmpty {
                try expect(symbol: ",")
                if skip(symbol: ")") { break }
            }
            if isSymbol("*") || isSymbol("**") {
                throw .unsupportedTemplateConstruct(construct: "*args/**kwargs in a call", line: current.line)
            }
            if case .name(let name) = current.kind, tokens[index + 1].kind == .symbol("=") {
                index += 2
                arguments.named.append((name, try parseExpression()))
            } else {
                arguments.positional.append(try parseExpression())
            }
        }
        return arguments
    }

    private mutating func parsePrimary() throws(TokenizerError) -> JinjaExpression {
        let token = next()
        switch token.kind {
        case .name(let name):
            switch name {
            case "true", "True": return .constant(.boolean(true))
            case "false", "False": return .constant(.boolean(false))
            case "none", "None": return .constant(.none)
            default: return .name(name, line: token.line)
            }
        case .string(var string):
            // Adjacent string literals concatenate, as in Python.
            while case .string(let more) = current.kind {
                string += more
                index += 1
            }
            return .constant(.string(string))
        case .integer(let value): return .constant(.integer(value))
        case .float(let value): return .constant(.float(value))
        case .symbol("("):
            if skip(symbol: ")") { return .tuple([]) }
            let value = try parseTuple()
            try expect(symbol: ")")
            return value
        case .symbol("["):
            var items: [JinjaExpression] = []
            while !skip(symbol: "]") {
                if !items.isEmpty {
                    try expect(symbol: ",")
                    if skip(symbol: "]") { break }
                }
                items.append(try parseExpression())
            }
            return .list(items)
        case .symbol("{"):
            var pairs: [(key: JinjaExpression, value: JinjaExpression)] = []
            while !skip(symbol: "}") {
                if !pairs.isEmpty {
                    try expect(symbol: ",")
                    if skip(symbol: "}") { break }
                }
                let key = try parseExpression()
                try expect(symbol: ":")
                pairs.append((key, try parseExpression()))
            }
            return .dict(pairs)
        default:
            throw .templateSyntax(message: "expected an expression, found \(Self.describe(token.kind))", line: token.line)
        }
    }
}
