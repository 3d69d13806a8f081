extension SchemaCompiler {
    /// `enum`/`const`: the listed values that every other keyword of the conjunct accepts
    /// (checked by ``SchemaValidator``), each as its canonical text with whitespace allowed
    /// between tokens.
    mutating func compileEnum(_ values: JSONValue, _ conjunct: SchemaConjunct) throws(JSONSchemaError) -> GrammarExpression? {
        guard case .array(let list) = values else {
            throw .invalidKeyword(keyword: "enum", path: conjunct.path("enum") + "/enum", reason: "expected an array")
        }
        if list.isEmpty { throw .unsatisfiable(path: conjunct.path("enum") + "/enum", reason: "empty enum") }
        let validator = SchemaValidator(root: root)
        var alternatives: [GrammarExpression] = []
        for value in list {
            var keep: Bool
            do {
                keep = try validator.validate(value, members: conjunct.keywords, path: conjunct.path("enum"))
            } catch {
                guard options.lenient, case .unsupported = error else { throw error }
                keep = true
            }
            guard keep else { continue }
            let literal = literalGrammar(value)
            if !alternatives.contains(literal) { alternatives.append(literal) }
        }
        if alternatives.isEmpty { return nil }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
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
