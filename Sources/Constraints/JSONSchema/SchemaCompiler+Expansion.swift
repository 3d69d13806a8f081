extension SchemaCompiler {
    /// The schema as a union of conjuncts: `$ref` targets and `allOf` branches merged in,
    /// `anyOf`, `oneOf` (each branch minus the others), `not`, `if`/`then`/`else` and the
    /// dependency keywords distributed over the rest. The union is exactly the schema's
    /// instances unless ``approximated`` was set, and then a subset of them.
    /// - Throws: `referenceCycle` when a `$ref` comes back to itself within one expansion,
    ///   `unsupported` for a `oneOf` whose branches cannot be told apart or an expansion over
    ///   the limit.
    mutating func expand(_ schema: JSONValue, path: String) throws(JSONSchemaError) -> [SchemaConjunct] {
        switch schema {
        case .bool(true): return [SchemaConjunct()]
        case .bool(false): return []
        case .object(let members):
            var base = try SchemaConjunct(object: members, path: path)
            // Keywords distributed below as unions. `not` stays in the conjunct until it is
            // compiled (``withoutNot(_:path:)``), so that an `enum` merged in from elsewhere can
            // still decide it exactly.
            let conditions = base.removeAll(Self.conditionalKeywords)
            var result = [base]
            if let ref = schema["$ref"] {
                let (target, pointer) = try resolve(ref, path: path + "/$ref")
                if expanding.contains(pointer) { throw .referenceCycle(pointer, path: path + "/$ref") }
                expanding.append(pointer)
                let branches = try expand(target, path: pointer)
                expanding.removeLast()
                result = try product(result, branches, path: path)
            }
            if let allOf = schema["allOf"] {
                for (index, sub) in try subschemas(allOf, "allOf", path).enumerated() {
                    result = try product(result, try expand(sub, path: path + "/allOf/\(index)"), path: path)
                }
            }
            if let anyOf = schema["anyOf"] {
                var union: [SchemaConjunct] = []
                for (index, sub) in try subschemas(anyOf, "anyOf", path).enumerated() {
                    union += try expand(sub, path: path + "/anyOf/\(index)")
                }
                result = try product(result, union, path: path)
            }
            if let oneOf = schema["oneOf"] {
                result = try exclusiveUnion(result, try subschemas(oneOf, "oneOf", path), path: path)
            }
            result = try applyConditions(conditions, to: result, schema: schema, path: path)
            return result
        default:
            throw .invalidKeyword(keyword: "", path: path, reason: "a schema is an object or a boolean, got \(schema.typeName)")
        }
    }

    func subschemas(_ value: JSONValue, _ keyword: String, _ path: String) throws(JSONSchemaError) -> [JSONValue] {
        guard case .array(let elements) = value, !elements.isEmpty else {
            throw .invalidKeyword(keyword: keyword, path: path + "/" + keyword, reason: "expected a non-empty array of schemas")
        }
        return elements
    }

    /// Every non-empty pairwise merge of `left` and `right` (the conjuncts of `left ∩ right`).
    /// - Throws: `unsupported` when there are more than ``JSONSchemaGrammar/Options/alternativeLimit``.
    func product(_ left: [SchemaConjunct], _ right: [SchemaConjunct], path: String) throws(JSONSchemaError) -> [SchemaConjunct] {
        var out: [SchemaConjunct] = []
        for a in left {
            for b in right {
                if let m = a.merged(with: b), !m.isObviouslyEmpty { out.append(m) }
            }
        }
        if out.count > options.alternativeLimit {
            throw .unsupported(keyword: "anyOf", path: path, reason: "expands to \(out.count) alternatives (limit \(options.alternativeLimit))")
        }
        return out
    }

    /// Whether no instance can match both conjuncts: their types differ, their `enum`s share
    /// no value, or a property both require has `const`/`enum` values that share none.
    static func disjoint(_ a: SchemaConjunct, _ b: SchemaConjunct) -> Bool {
        if let ta = a.first("type"), let tb = b.first("type") {
            var x = SchemaConjunct.typeNames(ta)
            var y = SchemaConjunct.typeNames(tb)
            if x.contains("number") { x.insert("integer") }
            if y.contains("number") { y.insert("integer") }
            if x.isDisjoint(with: y) { return true }
        }
        if case .array(let ea)? = a.first("enum"), case .array(let eb)? = b.first("enum"),
           !ea.contains(where: eb.contains) {
            return true
        }
        guard case .array(let ra)? = a.first("required"), case .array(let rb)? = b.first("required"),
              let pa = a.first("properties"), let pb = b.first("properties") else { return false }
        for name in ra where rb.contains(name) {
            guard case .string(let key) = name, let sa = pa[key], let sb = pb[key],
                  let va = constValues(sa), let vb = constValues(sb) else { continue }
            if !va.contains(where: vb.contains) { return true }
        }
        return false
    }

    private static func constValues(_ schema: JSONValue) -> [JSONValue]? {
        if let c = schema["const"] { return [c] }
        if case .array(let values)? = schema["enum"] { return values }
        return nil
    }
}
