extension SchemaCompiler {
    static let allTypes = ["null", "boolean", "object", "array", "string", "number"]

    /// The grammar of one conjunct: the union over the types it allows (or its `enum`).
    mutating func compileConjunct(_ conjunct: SchemaConjunct, path: String) throws(JSONSchemaError) -> GrammarExpression? {
        var types = Self.allTypes
        var integerOnly = false
        if let declared = conjunct.first("type") {
            let names = SchemaConjunct.typeNames(declared)
            for name in names where !(Self.allTypes + ["integer"]).contains(name) {
                throw .invalidKeyword(keyword: "type", path: conjunct.path("type") + "/type", reason: "unknown type \"\(name)\"")
            }
            integerOnly = names.contains("integer") && !names.contains("number")
            types = Self.allTypes.filter { names.contains($0) || ($0 == "number" && integerOnly) }
        }
        if let values = conjunct.first("enum") { return try compileEnum(values, conjunct) }
        var conjunct = conjunct
        try applyNot(&conjunct, types: &types, integerOnly: integerOnly)
        if types.isEmpty { return nil }
        if conjunct.has("if"), conjunct.has("then") || conjunct.has("else") {
            try unsupported("if", conjunct.path("if") + "/if", "conditional schemas are not compiled")
        }
        for keyword in ["$dynamicRef", "$recursiveRef"] where conjunct.has(keyword) {
            try unsupported(keyword, conjunct.path(keyword) + "/" + keyword, "dynamic references are not resolved")
        }
        var alternatives: [GrammarExpression] = []
        for type in types {
            let e: GrammarExpression?
            switch type {
            case "null": e = .literal("null")
            case "boolean": e = .choice([.literal("true"), .literal("false")])
            case "string": e = try compileString(conjunct)
            case "number": e = try compileNumber(conjunct, integerOnly: integerOnly)
            case "object": e = try compileObject(conjunct, path: path)
            default: e = try compileArray(conjunct, path: path)
            }
            if let e { alternatives.append(e) }
        }
        if alternatives.isEmpty { return nil }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    /// `not` with a `type`-only schema removes those types; `not: {"required": [name]}`
    /// forbids that property; `not: true` matches nothing; anything else is unsupported.
    private func applyNot(_ conjunct: inout SchemaConjunct, types: inout [String], integerOnly: Bool) throws(JSONSchemaError) {
        for (value, path) in conjunct.all("not") {
            let notPath = path + "/not"
            switch value {
            case .bool(true): types = []; return
            case .bool(false): continue
            case .object(let members):
                let plain = members.filter { !SchemaConjunct.annotations.contains($0.key) }
                if plain.isEmpty { types = []; return }
                if plain.count == 1, plain[0].key == "type" {
                    let excluded = SchemaConjunct.typeNames(plain[0].value.typeName == "string" ? .array([plain[0].value]) : plain[0].value)
                    if excluded.contains("integer"), !excluded.contains("number"), types.contains("number"), !integerOnly {
                        try unsupported("not", notPath, "excluding integers from numbers")
                        continue
                    }
                    types.removeAll { excluded.contains($0) || ($0 == "number" && excluded.contains("integer")) }
                    continue
                }
                if plain.count == 1, plain[0].key == "required", case .array(let names) = plain[0].value,
                   names.count == 1, case .string(let name) = names[0] {
                    var forbid = SchemaConjunct()
                    forbid.append("properties", .object([JSONMember(key: name, value: .bool(false))]), path)
                    guard let merged = conjunct.merged(with: forbid) else { types = []; return }
                    conjunct = merged
                    continue
                }
                try unsupported("not", notPath, "only type exclusions and a single forbidden property are compiled")
            default:
                throw .invalidKeyword(keyword: "not", path: notPath, reason: "expected a schema")
            }
        }
    }
}
