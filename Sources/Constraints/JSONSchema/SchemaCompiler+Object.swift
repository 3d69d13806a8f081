extension SchemaCompiler {
    /// An object: declared members in `properties` order (each present or, when not required,
    /// absent), then additional members when `additionalProperties` allows them, with keys
    /// that are not declared names.
    mutating func compileObject(_ conjunct: SchemaConjunct, path: String) throws(JSONSchemaError) -> GrammarExpression? {
        try checkObjectKeywords(conjunct)
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
        var members: [ObjectMember] = []
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
            members.append(ObjectMember(expression: builder.rule("kv-" + property.name, member), required: isRequired))
        }
        let counts = try propertyCounts(conjunct, requiredCount: members.filter(\.required).count)
        if let maximum = counts.maximum, maximum < members.filter(\.required).count {
            emptyReason = (conjunct.path("maxProperties") + "/maxProperties", "maxProperties \(maximum) is below the number of required properties")
            return nil
        }
        let additionalMember = try additionalMembers(conjunct, declared: declared.map(\.name), patterns: patterns,
                                                     additional: additional, additionalPath: additionalPath)
        return objectGrammar(members, additional: additionalMember, count: counts)
    }

    /// Throws for the object keywords that are not compiled.
    private func checkObjectKeywords(_ conjunct: SchemaConjunct) throws(JSONSchemaError) {
        for (value, path) in conjunct.all("propertyNames") where value != .bool(true) && value != .object([]) {
            try unsupported("propertyNames", path + "/propertyNames", "propertyNames is not compiled")
        }
        for (value, path) in conjunct.all("unevaluatedProperties") where value != .bool(true) {
            try unsupported("unevaluatedProperties", path + "/unevaluatedProperties", "unevaluatedProperties is not compiled")
        }
    }

    /// The tightest `minProperties` and `maxProperties`; a minimum at or below the number of
    /// required properties is dropped (it always holds).
    private func propertyCounts(_ conjunct: SchemaConjunct, requiredCount: Int) throws(JSONSchemaError) -> (minimum: Int?, maximum: Int?) {
        var minimum: Int?
        var maximum: Int?
        for keyword in ["minProperties", "maxProperties"] {
            for (value, path) in conjunct.all(keyword) {
                guard case .number(let text) = value, let d = DecimalText(text), d.isInteger, !d.negative else {
                    throw .invalidKeyword(keyword: keyword, path: path + "/" + keyword, reason: "expected a non-negative integer")
                }
                let n = Int(d.truncatedMagnitude) ?? Int.max
                if keyword == "minProperties" { minimum = max(minimum ?? 0, n) } else { maximum = min(maximum ?? n, n) }
            }
        }
        if let m = minimum, m <= requiredCount { minimum = nil }
        if let m = minimum { minimum = try repetitionCount(m, keyword: "minProperties", path: conjunct.path("minProperties")) }
        return (minimum, maximum)
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
