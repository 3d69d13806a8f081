extension SchemaCompiler {
    /// One `patternProperties` entry, parsed.
    struct PatternProperty {
        var regex: RegexNode
        var schema: JSONValue
        var path: String
    }

    func patternProperties(_ conjunct: SchemaConjunct) throws(JSONSchemaError) -> [PatternProperty] {
        var out: [PatternProperty] = []
        for (value, path) in conjunct.all("patternProperties") {
            guard let members = value.members else {
                throw .invalidKeyword(keyword: "patternProperties", path: path + "/patternProperties", reason: "expected an object")
            }
            for member in members {
                let here = path + "/patternProperties/" + pointerEscape(member.key)
                do {
                    out.append(PatternProperty(regex: try RegexParser.parse(member.key), schema: member.value, path: here))
                } catch {
                    switch error {
                    case .invalid(let why): throw .invalidKeyword(keyword: "patternProperties", path: here, reason: why)
                    case .unsupported(let why): throw .unsupported(keyword: "patternProperties", path: here, reason: why)
                    }
                }
            }
        }
        return out
    }

    /// `{"allOf": […]}` of the schemas that constrain anything; `true` when none does.
    static func allOf(_ schemas: [JSONValue]) -> JSONValue {
        let kept = schemas.filter { $0 != .bool(true) && $0 != .object([]) }
        if kept.isEmpty { return .bool(true) }
        if kept.count == 1 { return kept[0] }
        return .object([JSONMember(key: "allOf", value: .array(kept))])
    }

    /// The grammar of one member whose key is not declared, or `nil` when none is allowed.
    ///
    /// With `patternProperties`: patterns whose schemas are all `true` next to a permissive
    /// `additionalProperties` are ignored; patterns that match every non-empty key (`.*`,
    /// `^.+$`, `.`) give every undeclared key all their schemas; a single other pattern next to
    /// `additionalProperties: false` that no declared name matches gives the keys it matches
    /// its schema. Anything else is unsupported.
    mutating func additionalMembers(_ conjunct: SchemaConjunct, declared: [String], patterns: [PatternProperty],
                                    additional: JSONValue, additionalPath: String) throws(JSONSchemaError) -> GrammarExpression? {
        let permissive = additional == .bool(true) || additional == .object([])
        var keyCharacters = CodePointSet.all
        var nonEmpty = false
        var value = additional
        var valuePath = additionalPath
        if !patterns.isEmpty, !(permissive && patterns.allSatisfy({ Self.allOf([$0.schema]) == .bool(true) })) {
            let coverage = patterns.map { Self.universality($0.regex) }
            if patterns.count == 1, additional == .bool(false), !declared.contains(where: { patterns[0].regex.search($0) }) {
                guard let keyGrammar = try patternString(patterns[0].regex, minimum: nil, maximum: nil, path: patterns[0].path),
                      let v = try compileValue(patterns[0].schema, path: patterns[0].path) else { return nil }
                return builder.rule("pattern-kv", .seq(keyGrammar, ws, .literal(":"), ws, v, ws))
            } else if coverage.allSatisfy({ $0 != nil }) {
                for case let (.some(set), _) in zip(coverage, patterns) where set != .all {
                    keyCharacters = keyCharacters.intersection(set)
                    nonEmpty = true
                }
                value = Self.allOf(patterns.map(\.schema))
                valuePath = patterns[0].path
            } else {
                try unsupported("patternProperties", patterns[0].path, "patterns that do not cover every key")
            }
        }
        guard let v = try compileValue(value, path: valuePath) else { return nil }
        let key = undeclaredKey(declared, characters: keyCharacters, nonEmpty: nonEmpty)
        return builder.rule("additional-kv", .seq(key, ws, .literal(":"), ws, v, ws))
    }

    /// `.all` when the pattern matches every key; a set S (holding all printable ASCII) when it
    /// matches every non-empty key made of characters from S; `nil` otherwise (or when unsure).
    static func universality(_ regex: RegexNode) -> CodePointSet? {
        var best: CodePointSet?
        let printable = CodePointSet(ranges: [0x20...0x7E])
        for branch in regex.anchoredBranches {
            let (items, anchoredStart, anchoredEnd) = (branch.items, branch.anchoredStart, branch.anchoredEnd)
            let body = RegexNode.sequence(items)
            if body.lengthRange.minimum == 0, !(anchoredStart && anchoredEnd), !items.contains(where: { $0 == .start || $0 == .end }) {
                return .all
            }
            if items.count == 1 {
                switch items[0] {
                case .characters(let set) where !(anchoredStart && anchoredEnd) && set.isSuperset(of: printable): best = best ?? set
                case .repetition(.characters(let set), 1, nil) where set.isSuperset(of: printable): best = best ?? set
                default: break
                }
            }
        }
        return best
    }
}
