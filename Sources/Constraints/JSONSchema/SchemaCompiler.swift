import Foundation

/// Compiles schema values to grammar rules: the engine behind
/// ``JSONSchemaGrammar/compile(_:options:)``. A compiled value is `nil` when no instance can
/// match it (`false`, an impossible branch); structural positions (a property's value, an
/// array's items) decide whether that is an error.
struct SchemaCompiler {
    let root: JSONValue
    let options: JSONSchemaGrammar.Options
    var builder = GrammarBuilder()
    /// Rule names of `$ref` targets already compiled (or being compiled: recursion).
    var referenceRules: [String: String] = [:]
    /// `$ref` targets being expanded since the last token the grammar consumes: meeting one
    /// again is a cycle that makes no progress.
    var expanding: [String] = []
    /// The rule for any JSON value, once built.
    var anyValueRule: String?
    /// Grammars of schemas already compiled in a consuming position, by schema value.
    var valueCache: [JSONValue: GrammarExpression?] = [:]
    /// Schemas being compiled in a consuming position, with the rule name given to them once
    /// they turn out to recur inside themselves (which is then recursion through structure).
    var inProgress: [JSONValue: String?] = [:]
    /// Set when an expansion gave a strict subset of a schema's instances (an overlapping
    /// `oneOf`, a negation that could not be expressed in full); a negation of such an
    /// expansion would be a superset, so ``negation(_:path:)`` gives up on it.
    var approximated = false
    /// Object automaton states still available to this schema (``objectStateBudget``).
    var objectBudgetLeft = SchemaCompiler.objectStateBudget
    /// Why the last schema found to have no instance has none (for the root's error).
    var emptyReason: (path: String, reason: String)?

    init(root: JSONValue, options: JSONSchemaGrammar.Options) {
        self.root = root
        self.options = options
    }

    /// Whitespace allowed after a token.
    var ws: GrammarExpression {
        switch options.whitespace {
        case .compact: .empty
        case .bounded: .rule("ws")
        }
    }

    mutating func compileRoot() throws(JSONSchemaError) -> String {
        try SchemaKeywordShapes.check(root)
        if case .bounded(let run) = options.whitespace {
            let name = builder.reserve("ws")
            builder.define(name, .repetition(.characters(CodePointSet(ranges: [0x09...0x0A, 0x0D...0x0D, 0x20...0x20])), minimum: 0, maximum: max(0, run)))
        }
        guard let value = try compileValue(root, path: "#") else {
            if approximated {
                // Not proven empty: a sound subset (a negation or oneOf that could not be
                // expressed in full) came out empty.
                throw .unsupported(keyword: "not", path: "#", reason: "negations and oneOf branches that cannot be expressed in full leave no instance of the grammar's subset")
            }
            throw .unsatisfiable(path: emptyReason?.path ?? "#", reason: emptyReason?.reason ?? "no instance matches the schema")
        }
        let rootName = builder.reserve("root")
        builder.define(rootName, .seq(value, ws))
        let productive = builder.productiveRules()
        guard productive.contains(rootName) else {
            throw .unsatisfiable(path: "#", reason: "the schema's recursion has no finite instance")
        }
        builder.prune(keeping: productive)
        return builder.gbnf(root: rootName)
    }

    /// Throws `unsupported` unless the options are lenient.
    func unsupported(_ keyword: String, _ path: String, _ reason: String) throws(JSONSchemaError) {
        if !options.lenient { throw .unsupported(keyword: keyword, path: path, reason: reason) }
    }

    /// The grammar of the instances of `schema`, in a position that consumes input.
    mutating func compileValue(_ schema: JSONValue, path: String) throws(JSONSchemaError) -> GrammarExpression? {
        if let cached = valueCache[schema] { return cached }
        if let pending = inProgress[schema] {
            if let name = pending { return .rule(name) }
            let name = builder.reserve(hint(path))
            inProgress[schema] = .some(name)
            return .rule(name)
        }
        inProgress[schema] = .some(nil)
        let saved = expanding
        expanding = []
        defer { expanding = saved }
        let body = try compileHere(schema, path: path)
        var result = body
        if case .some(.some(let name)) = inProgress[schema] {
            builder.define(name, body ?? .choice([]))
            result = .rule(name)
        }
        inProgress[schema] = nil
        valueCache[schema] = .some(result)
        return result
    }

    /// As ``compileValue(_:path:)`` but within the current `$ref` expansion.
    mutating func compileHere(_ schema: JSONValue, path: String) throws(JSONSchemaError) -> GrammarExpression? {
        if case .object(let members) = schema, let ref = schema["$ref"],
           members.allSatisfy({ $0.key == "$ref" || SchemaConjunct.annotations.contains($0.key) || $0.key.hasPrefix("x-") }) {
            return try referenceRule(ref, path: path + "/$ref")
        }
        let branches = try withoutNot(try expand(schema, path: path), path: path)
        if branches.count == 1, branches[0].keywords.isEmpty { return anyValue }
        var alternatives: [GrammarExpression] = []
        for branch in branches {
            if let e = try compileConjunct(branch, path: path), !alternatives.contains(e) { alternatives.append(e) }
        }
        if alternatives.isEmpty { return nil }
        if alternatives.count == 1 { return alternatives[0] }
        return builder.rule(hint(path), .choice(alternatives))
    }

    /// Any JSON value (the `true` schema), as one recursive rule.
    var anyValue: GrammarExpression {
        mutating get {
            if let name = anyValueRule { return .rule(name) }
            let name = builder.reserve("value")
            anyValueRule = name
            let value = GrammarExpression.rule(name)
            let comma = GrammarExpression.seq(.literal(","), ws)
            let string = builder.rule("string", .seq(.literal("\""), .repetition(anyCharacter, minimum: 0, maximum: nil), .literal("\"")))
            let member = builder.rule("member", .seq(string, ws, .literal(":"), ws, value, ws))
            let object = builder.rule("any-object", .seq(.literal("{"), ws, .optional(.seq(member, .repetition(.seq(comma, member), minimum: 0, maximum: nil))), .literal("}")))
            let element = GrammarExpression.seq(value, ws)
            let array = builder.rule("any-array", .seq(.literal("["), ws, .optional(.seq(element, .repetition(.seq(comma, element), minimum: 0, maximum: nil))), .literal("]")))
            let number = builder.rule("number", numberGrammar)
            builder.define(name, .choice([object, array, string, number, .literal("true"), .literal("false"), .literal("null")]))
            return value
        }
    }

    func hint(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { !["#", "properties", "items", "allOf", "anyOf", "oneOf", "$defs", "definitions", "prefixItems"].contains($0) }
        return parts.suffix(2).joined(separator: "-").isEmpty ? "value" : parts.suffix(2).joined(separator: "-")
    }

    /// A rule for a `$ref` target, compiled once; recursive references reuse the rule.
    mutating func referenceRule(_ ref: JSONValue, path: String) throws(JSONSchemaError) -> GrammarExpression? {
        let (target, pointer) = try resolve(ref, path: path)
        if expanding.contains(pointer) { throw .referenceCycle(pointer, path: path) }
        if let name = referenceRules[pointer] { return .rule(name) }
        let name = builder.reserve(hint(pointer))
        referenceRules[pointer] = name
        expanding.append(pointer)
        defer { expanding.removeLast() }
        let body = try compileHere(target, path: pointer)
        builder.define(name, body ?? .choice([]))
        return .rule(name)
    }

    /// The schema a local `$ref` points at, and its canonical pointer.
    func resolve(_ ref: JSONValue, path: String) throws(JSONSchemaError) -> (JSONValue, String) {
        guard case .string(let text) = ref else {
            throw .invalidKeyword(keyword: "$ref", path: path, reason: "expected a string")
        }
        guard text.hasPrefix("#") else { throw .remoteReference(text, path: path) }
        let fragment = String(text.dropFirst())
        guard fragment.isEmpty || fragment.hasPrefix("/") else {
            throw .unsupported(keyword: "$ref", path: path, reason: "anchor references (\(text)) are not resolved")
        }
        var node = root
        var canonical = "#"
        for rawToken in fragment.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let token = (String(rawToken).removingPercentEncoding ?? String(rawToken))
                .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case .object:
                guard let next = node[token] else { throw .unresolvedReference(text, path: path) }
                node = next
            case .array(let elements):
                guard let index = Int(token), index >= 0, index < elements.count else {
                    throw .unresolvedReference(text, path: path)
                }
                node = elements[index]
            default:
                throw .unresolvedReference(text, path: path)
            }
            canonical += "/" + pointerEscape(token)
        }
        return (node, canonical)
    }
}
