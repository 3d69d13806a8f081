extension SchemaCompiler {
    static let allTypes = ["null", "boolean", "object", "array", "string", "number"]

    /// The grammar of one conjunct: the union over the types it allows (or its `enum`).
    mutating func compileConjunct(_ conjunct: SchemaConjunct, path: String) throws(JSONSchemaError) -> GrammarExpression? {
        var types = Self.allTypes
        var integerOnly = false
        if let declared = conjunct.first("type") {
            let names = SchemaConjunct.typeNames(declared)
            integerOnly = names.contains("integer") && !names.contains("number")
            types = Self.allTypes.filter { names.contains($0) || ($0 == "number" && integerOnly) }
        }
        if let values = conjunct.first("enum") { return try compileEnum(values, conjunct) }
        for keyword in ["$dynamicRef", "$recursiveRef"] where conjunct.has(keyword) {
            try unsupported(keyword, conjunct.path(keyword) + "/" + keyword, "dynamic references are not resolved")
        }
        // Values excluded by a negated `enum`: strings with no other string keyword take the
        // complement of the listed strings (written without escapes), the other boolean stays;
        // other types with an excluded value are dropped (a sound subset).
        var excluded: [JSONValue] = []
        for (value, _) in conjunct.all(SchemaConjunct.notEnum) {
            if case .array(let list) = value { excluded += list }
        }
        var excludedStrings: [String]?
        var booleans: [GrammarExpression] = [.literal("true"), .literal("false")]
        if !excluded.isEmpty {
            let excludedTypes = Set(excluded.map(\.typeName))
            booleans = [true, false].filter { !excluded.contains(.bool($0)) }.map { .literal($0 ? "true" : "false") }
            types.removeAll { ($0 == "boolean" && booleans.isEmpty) || (["null", "number", "object", "array"].contains($0) && excludedTypes.contains($0)) }
            if excludedTypes.contains("string") {
                if ["pattern", "format", "minLength", "maxLength"].contains(where: conjunct.has) {
                    types.removeAll { $0 == "string" }
                } else {
                    excludedStrings = excluded.compactMap { if case .string(let s) = $0 { s } else { nil } }
                }
            }
        }
        if types.isEmpty { return nil }
        var alternatives: [GrammarExpression] = []
        for type in types {
            let e: GrammarExpression?
            switch type {
            case "null": e = .literal("null")
            case "boolean": e = booleans.count == 1 ? booleans[0] : .choice(booleans)
            case "string":
                if let excludedStrings { e = undeclaredKey(excludedStrings, characters: .all, nonEmpty: false) } else { e = try compileString(conjunct) }
            case "number": e = try compileNumber(conjunct, integerOnly: integerOnly)
            case "object": e = try compileObject(conjunct, path: path)
            default: e = try compileArray(conjunct, path: path)
            }
            if let e { alternatives.append(e) }
        }
        if alternatives.isEmpty { return nil }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }
}
