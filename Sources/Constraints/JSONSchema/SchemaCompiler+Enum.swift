extension SchemaCompiler {
    /// `enum`/`const`: the listed values that the conjunct's types allow, each as its
    /// canonical text with whitespace allowed between tokens. Other keywords next to an
    /// `enum` are checked against each value where the compiler can check them
    /// (lengths, bounds), else unsupported.
    mutating func compileEnum(_ values: JSONValue, _ conjunct: SchemaConjunct, types: [String], integerOnly: Bool) throws(JSONSchemaError) -> GrammarExpression? {
        guard case .array(let list) = values else {
            throw .invalidKeyword(keyword: "enum", path: conjunct.path("enum") + "/enum", reason: "expected an array")
        }
        if list.isEmpty { throw .unsatisfiable(path: conjunct.path("enum") + "/enum", reason: "empty enum") }
        let checked: Set<String> = ["enum", "type", "not", "minLength", "maxLength", "minimum", "maximum",
                                    "exclusiveMinimum", "exclusiveMaximum", "if"]
        var alternatives: [GrammarExpression] = []
        for value in list {
            var typeName = value.typeName
            if case .number(let text) = value, integerOnly {
                guard let d = DecimalText(text), d.isInteger else { continue }
                typeName = "number"
            }
            guard types.contains(typeName) else { continue }
            if let relevant = Self.keywords(for: typeName) {
                for key in conjunct.keys.intersection(relevant).subtracting(checked) {
                    try unsupported("enum", conjunct.path(key) + "/" + key, "\(key) next to enum is not checked")
                }
            }
            guard try admits(value, conjunct) else { continue }
            let literal = literalGrammar(value)
            if !alternatives.contains(literal) { alternatives.append(literal) }
        }
        if alternatives.isEmpty { return nil }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    /// The keywords that constrain instances of a type (for deciding what an `enum` leaves
    /// unchecked).
    static func keywords(for type: String) -> Set<String>? {
        switch type {
        case "string": ["minLength", "maxLength", "pattern", "format"]
        case "number": ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]
        case "object": ["properties", "required", "additionalProperties", "patternProperties", "propertyNames",
                        "minProperties", "maxProperties", "dependencies", "dependentRequired", "dependentSchemas"]
        case "array": ["items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"]
        default: nil
        }
    }

    /// Whether a listed value meets the length and bound keywords next to the `enum`.
    private func admits(_ value: JSONValue, _ conjunct: SchemaConjunct) throws(JSONSchemaError) -> Bool {
        switch value {
        case .string(let s):
            let length = s.unicodeScalars.count
            for (bound, _) in conjunct.all("minLength") { if case .number(let t) = bound, let n = Int(t), length < n { return false } }
            for (bound, _) in conjunct.all("maxLength") { if case .number(let t) = bound, let n = Int(t), length > n { return false } }
            return true
        case .number(let text):
            guard let x = DecimalText(text) else { return false }
            for (key, accept) in [("minimum", { (c: Int) in c >= 0 }), ("maximum", { $0 <= 0 }),
                                  ("exclusiveMinimum", { $0 > 0 }), ("exclusiveMaximum", { $0 < 0 })] {
                for (bound, path) in conjunct.all(key) {
                    guard case .number(let t) = bound, let b = DecimalText(t) else {
                        throw .invalidKeyword(keyword: key, path: path + "/" + key, reason: "expected a number")
                    }
                    if !accept(x.compare(b)) { return false }
                }
            }
            return true
        default:
            return true
        }
    }

    /// The canonical text of a value, with whitespace allowed after each structural token.
    func literalGrammar(_ value: JSONValue) -> GrammarExpression {
        switch value {
        case .array(let elements):
            if elements.isEmpty { return .seq(.literal("["), ws, .literal("]")) }
            var parts: [GrammarExpression] = [.literal("["), ws]
            for (i, element) in elements.enumerated() {
                if i > 0 { parts += [.literal(","), ws] }
                parts += [literalGrammar(element), ws]
            }
            return .sequence(parts + [.literal("]")])
        case .object(let members):
            if members.isEmpty { return .seq(.literal("{"), ws, .literal("}")) }
            var parts: [GrammarExpression] = [.literal("{"), ws]
            for (i, member) in members.enumerated() {
                if i > 0 { parts += [.literal(","), ws] }
                parts += [.literal(JSONValue.quoted(member.key)), ws, .literal(":"), ws, literalGrammar(member.value), ws]
            }
            return .sequence(parts + [.literal("}")])
        default:
            return .literal(value.compactText)
        }
    }
}
