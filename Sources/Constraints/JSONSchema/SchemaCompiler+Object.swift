extension SchemaCompiler {
    /// An object: declared members in `properties` order (each present or, when not required,
    /// absent), then additional members when `additionalProperties` allows them, with keys
    /// that are not declared names.
    mutating func compileObject(_ conjunct: SchemaConjunct, path: String) throws(JSONSchemaError) -> GrammarExpression? {
        let nonEmpty = try checkObjectKeywords(conjunct)
        let base = conjunct.path("properties")
        var declared: [(name: String, schema: JSONValue, path: String)] = []
        if let properties = conjunct.first("properties") {
            guard let members = properties.members else {
                throw .invalidKeyword(keyword: "properties", path: base + "/properties", reason: "expected an object")
            }
            for member in members where !declared.contains(where: { $0.name == member.key }) {
                declared.append((member.key, member.value, base + "/properties/" + pointerEscape(member.key)))
            }
        }
        var required: Set<String> = []
        for (value, requiredPath) in conjunct.all("required") {
            guard case .array(let names) = value else {
                throw .invalidKeyword(keyword: "required", path: requiredPath + "/required", reason: "expected an array of strings")
            }
            for name in names {
                guard case .string(let s) = name else {
                    throw .invalidKeyword(keyword: "required", path: requiredPath + "/required", reason: "expected an array of strings")
                }
                required.insert(s)
            }
        }
        let additional = conjunct.first("additionalProperties") ?? .bool(true)
        let additionalPath = conjunct.path("additionalProperties") + "/additionalProperties"
        let patterns = try patternProperties(conjunct)
        for name in required.sorted() where !declared.contains(where: { $0.name == name }) {
            declared.append((name, .bool(true), additionalPath))
        }
        // Declared names: their own schema (or additionalProperties when no pattern matches an
        // undeclared required name) and every matching pattern's schema.
        for index in declared.indices {
            let name = declared[index].name
            let matching = patterns.filter { $0.regex.search(name) }.map(\.schema)
            let isListed = conjunct.first("properties")?[name] != nil
            declared[index].schema = Self.allOf([declared[index].schema] + matching + (isListed || !matching.isEmpty ? [] : [additional]))
        }
        // Each member: key, colon, value.
        var members: [(expression: GrammarExpression, required: Bool)] = []
        for property in declared {
            let isRequired = required.contains(property.name)
            guard let value = try compileValue(property.schema, path: property.path) else {
                if isRequired {
                    emptyReason = (property.path, "required property \"\(property.name)\" cannot have any value")
                    return nil
                }
                continue
            }
            let member = GrammarExpression.seq(.literal(JSONValue.quoted(property.name)), ws, .literal(":"), ws, value, ws)
            members.append((builder.rule("kv-" + property.name, member), isRequired))
        }
        let additionalMember = try additionalMembers(conjunct, declared: declared.map(\.name), patterns: patterns,
                                                     additional: additional, additionalPath: additionalPath)
        if members.count <= options.anyOrderLimit {
            return anyOrderObjectGrammar(members, additional: additionalMember, nonEmpty: nonEmpty)
        }
        return objectGrammar(members, additional: additionalMember, nonEmpty: nonEmpty)
    }

    /// `{` members `}` in any order, each declared member at most once and every required one
    /// present: one rule per set of members already written (2^n rules for n members).
    private mutating func anyOrderObjectGrammar(_ members: [(expression: GrammarExpression, required: Bool)], additional: GrammarExpression?, nonEmpty: Bool) -> GrammarExpression? {
        let comma = GrammarExpression.seq(.literal(","), ws)
        var requiredMask = 0
        for (i, m) in members.enumerated() where m.required { requiredMask |= 1 << i }
        let full = (1 << members.count) - 1
        var rest: [GrammarExpression] = Array(repeating: .empty, count: full + 1)
        let names = (0...full).map { _ in builder.reserve("rest") }
        for mask in 0...full {
            rest[mask] = .rule(names[mask])
        }
        // Rest(mask): more members after some, each after a comma; may end once all required are in.
        for mask in stride(from: full, through: 0, by: -1) {
            var alternatives: [GrammarExpression] = []
            for (i, m) in members.enumerated() where mask & (1 << i) == 0 {
                alternatives.append(.seq(comma, m.expression, rest[mask | 1 << i]))
            }
            if let additional { alternatives.append(.seq(comma, additional, rest[mask])) }
            if mask & requiredMask == requiredMask { alternatives.append(.empty) }
            builder.define(names[mask], alternatives.count == 1 ? alternatives[0] : .choice(alternatives))
        }
        var first: [GrammarExpression] = []
        for (i, m) in members.enumerated() { first.append(.seq(m.expression, rest[1 << i])) }
        if let additional { first.append(.seq(additional, rest[0])) }
        if requiredMask == 0, !nonEmpty { first.append(.empty) }
        if first.isEmpty { return nil }
        return builder.rule("object", .seq(.literal("{"), ws, first.count == 1 ? first[0] : .choice(first), .literal("}")))
    }

    /// Throws for the object keywords that are not compiled; returns whether `minProperties`
    /// asks for a non-empty object beyond what `required` already forces.
    private func checkObjectKeywords(_ conjunct: SchemaConjunct) throws(JSONSchemaError) -> Bool {
        var nonEmpty = false
        for keyword in ["dependentSchemas", "dependentRequired", "dependencies"] {
            for (value, path) in conjunct.all(keyword) {
                if let members = value.members, members.isEmpty { continue }
                try unsupported(keyword, path + "/" + keyword, "\(keyword) is not compiled")
            }
        }
        for (value, path) in conjunct.all("propertyNames") where value != .bool(true) && value != .object([]) {
            try unsupported("propertyNames", path + "/propertyNames", "propertyNames is not compiled")
        }
        for (value, path) in conjunct.all("unevaluatedProperties") where value != .bool(true) {
            try unsupported("unevaluatedProperties", path + "/unevaluatedProperties", "unevaluatedProperties is not compiled")
        }
        let requiredCount = Set(conjunct.all("required").flatMap { (value, _) -> [JSONValue] in
            if case .array(let names) = value { return names } else { return [] }
        }).count
        for (value, path) in conjunct.all("minProperties") {
            guard case .number(let text) = value, let n = DecimalText(text), let count = DecimalText("\(requiredCount)") else {
                throw .invalidKeyword(keyword: "minProperties", path: path + "/minProperties", reason: "expected a non-negative integer")
            }
            if n.compare(count) <= 0 { continue }
            if n.truncatedMagnitude == "1" { nonEmpty = true; continue }
            try unsupported("minProperties", path + "/minProperties", "minProperties above the required count is not compiled")
        }
        for (_, path) in conjunct.all("maxProperties") {
            try unsupported("maxProperties", path + "/maxProperties", "maxProperties is not compiled")
        }
        return nonEmpty
    }

    /// `{` members `}` (`nil` when `nonEmpty` and no member is possible) where member i may be skipped unless required: S(k) starts the list at
    /// the first present member at index ≥ k, T(k) continues it with `,` before each member.
    private mutating func objectGrammar(_ members: [(expression: GrammarExpression, required: Bool)], additional: GrammarExpression?, nonEmpty: Bool) -> GrammarExpression? {
        let comma = GrammarExpression.seq(.literal(","), ws)
        var tail: GrammarExpression = additional.map { .repetition(.seq(comma, $0), minimum: 0, maximum: nil) } ?? .empty
        var start: GrammarExpression? = additional.map { nonEmpty ? .seq($0, tail) : .optional(.seq($0, tail)) } ?? (nonEmpty ? nil : .empty)
        for member in members.reversed() {
            let nextTail = tail
            if member.required {
                tail = builder.rule("tail", .seq(comma, member.expression, nextTail))
                start = builder.rule("members", .seq(member.expression, nextTail))
            } else {
                tail = builder.rule("tail", .seq(.optional(.seq(comma, member.expression)), nextTail))
                let first = GrammarExpression.seq(member.expression, nextTail)
                start = builder.rule("members", start.map { .choice([first, $0]) } ?? first)
            }
        }
        guard let start else { return nil }
        return builder.rule("object", .seq(.literal("{"), ws, start, .literal("}")))
    }

    /// A JSON string key that is none of `names`: a trie over the names in which every other
    /// turn leads to free text. Undeclared keys are accepted without escapes, so no escape can
    /// spell a declared name.
    mutating func undeclaredKey(_ names: [String], characters: CodePointSet, nonEmpty: Bool) -> GrammarExpression {
        let free = characters.subtracting(CodePointSet(ranges: [0...0x1F, 0x22...0x22, 0x5C...0x5C]))
        let spellable = names.filter { !$0.unicodeScalars.contains { !free.contains($0.value) } }
        if spellable.isEmpty {
            return builder.rule("key", .seq(.literal("\""), .repetition(.characters(free), minimum: nonEmpty ? 1 : 0, maximum: nil), .literal("\"")))
        }
        return .seq(.literal("\""), trieNode(spellable.map { Array($0.unicodeScalars) }, depth: 0, free: free, nonEmpty: nonEmpty))
    }

    /// Strings (ending with the closing quote) that continue none of `words` past `depth`.
    private mutating func trieNode(_ words: [[Unicode.Scalar]], depth: Int, free: CodePointSet, nonEmpty: Bool) -> GrammarExpression {
        var alternatives: [GrammarExpression] = []
        if !words.contains(where: { $0.count == depth }), !(nonEmpty && depth == 0) { alternatives.append(.literal("\"")) }
        var next: [Unicode.Scalar: [[Unicode.Scalar]]] = [:]
        for word in words where word.count > depth { next[word[depth], default: []].append(word) }
        var used = CodePointSet.empty
        for scalar in next.keys.sorted(by: { $0.value < $1.value }) {
            used = used.union(CodePointSet(scalar: scalar))
            alternatives.append(.seq(.literal(String(scalar)), trieNode(next[scalar] ?? [], depth: depth + 1, free: free, nonEmpty: nonEmpty)))
        }
        let other = free.subtracting(used)
        alternatives.append(.seq(.characters(other), .repetition(.characters(free), minimum: 0, maximum: nil), .literal("\"")))
        return builder.rule("key", .choice(alternatives))
    }
}
