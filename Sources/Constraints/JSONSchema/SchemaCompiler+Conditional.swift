extension SchemaCompiler {
    /// Keywords that ``expand(_:path:)`` turns into unions instead of leaving in a conjunct.
    static let conditionalKeywords: Set<String> = ["if", "then", "else", "dependentRequired", "dependentSchemas", "dependencies"]

    /// `result` intersected with each of `conditions`:
    /// - `if`/`then`/`else` → (if ∩ then) ∪ (¬if ∩ else);
    /// - `dependentRequired {a: [b…]}` → (no `a`) ∪ (`a`, `b`… required);
    /// - `dependentSchemas {a: S}` → (no `a`) ∪ (`a` required ∩ S); draft 4–7 `dependencies`
    ///   is either, by the shape of each value.
    /// Each is exact wherever the negations involved are.
    mutating func applyConditions(_ conditions: [(key: String, value: JSONValue, path: String)], to start: [SchemaConjunct],
                                  schema: JSONValue, path: String) throws(JSONSchemaError) -> [SchemaConjunct] {
        var result = start
        for condition in conditions {
            let here = condition.path + "/" + condition.key
            switch condition.key {
            case "if":
                let thenSchema = schema["then"]
                let elseSchema = schema["else"]
                if thenSchema == nil, elseSchema == nil { continue }
                let positive = try product(try expand(condition.value, path: here),
                                           try expand(thenSchema ?? .bool(true), path: condition.path + "/then"), path: path)
                let negative = try product(try negation(condition.value, path: here),
                                           try expand(elseSchema ?? .bool(true), path: condition.path + "/else"), path: path)
                result = try product(result, positive + negative, path: path)
            case "dependentRequired", "dependentSchemas", "dependencies":
                guard let members = condition.value.members else {
                    throw .invalidKeyword(keyword: condition.key, path: here, reason: "expected an object")
                }
                for member in members {
                    let memberPath = here + "/" + pointerEscape(member.key)
                    let absent = SchemaConjunct([("properties", .object([JSONMember(key: member.key, value: .bool(false))]))], path: condition.path)
                    var present: [SchemaConjunct]
                    if case .array(let names) = member.value, condition.key != "dependentSchemas" {
                        guard names.allSatisfy({ if case .string = $0 { true } else { false } }) else {
                            throw .invalidKeyword(keyword: condition.key, path: memberPath, reason: "expected an array of property names")
                        }
                        if names.isEmpty { continue }
                        present = [SchemaConjunct([("required", .array([.string(member.key)] + names))], path: condition.path)]
                    } else if condition.key != "dependentRequired" {
                        if member.value == .bool(true) || member.value == .object([]) { continue }
                        let required = SchemaConjunct([("required", .array([.string(member.key)]))], path: condition.path)
                        present = try product([required], try expand(member.value, path: memberPath), path: path)
                    } else {
                        throw .invalidKeyword(keyword: condition.key, path: memberPath, reason: "expected an array of property names")
                    }
                    result = try product(result, [absent] + present, path: path)
                }
            default:
                continue
            }
        }
        return result
    }

    /// `oneOf` within `context` (the schema's other keywords): each branch's conjuncts, merged
    /// with the context, minus every other branch, so that no instance matches two. Branches that are provably disjoint (``disjoint(_:_:)``) stay as they are; otherwise
    /// a conjunct is intersected with one term of the other branch's negation
    /// (``negationTerms(_:)``), the one that costs it least: exact when that term is the whole
    /// negation within the conjunct (`oneOf [{required:[a]}, {required:[b]}]`), a subset
    /// otherwise (``approximated`` is set).
    /// - Throws: `unsupported` when a conjunct cannot be told apart from another branch (no
    ///   term leaves it non-empty, or that branch was itself approximated); lenient options
    ///   keep the conjunct as it is instead.
    mutating func exclusiveUnion(_ context: [SchemaConjunct], _ schemas: [JSONValue], path: String) throws(JSONSchemaError) -> [SchemaConjunct] {
        var branches: [[SchemaConjunct]] = []
        var exact: [Bool] = []
        for (index, sub) in schemas.enumerated() {
            let saved = approximated
            approximated = false
            branches.append(try product(context, try expand(sub, path: path + "/oneOf/\(index)"), path: path))
            exact.append(!approximated)
            approximated = saved || approximated
        }
        var out: [SchemaConjunct] = []
        for i in branches.indices {
            for conjunct in branches[i] {
                var a = conjunct
                for j in branches.indices where j != i {
                    for b in branches[j] where !Self.disjoint(a, b) {
                        guard exact[j] else {
                            try unsupported("oneOf", path + "/oneOf", "branch \(j) is approximated, so the branches that may overlap it cannot be told apart")
                            continue
                        }
                        let saved = approximated
                        let terms = try negationTerms(b)
                        approximated = saved
                        guard let best = bestSeparator(a, terms) else {
                            try unsupported("oneOf", path + "/oneOf", "branches \(i) and \(j) may both match an instance")
                            continue
                        }
                        a = best
                        approximated = true
                    }
                }
                out.append(a)
            }
        }
        return out
    }

    /// `a` intersected with the term that restricts it least, or `nil` when every term leaves
    /// nothing (as far as can be seen without compiling).
    private func bestSeparator(_ a: SchemaConjunct, _ terms: [SchemaConjunct]) -> SchemaConjunct? {
        var best: (cost: Int, conjunct: SchemaConjunct)?
        for term in terms {
            guard let merged = a.merged(with: term), !merged.isObviouslyEmpty, let cost = separationCost(a, term) else { continue }
            if best.map({ cost < $0.cost }) ?? true { best = (cost, merged) }
        }
        return best?.conjunct
    }

    /// How much `term` takes away from `a`: 0 when it forbids a property `a` never allows,
    /// 1 for a type or value exclusion, 2 for forbidding a property `a` allows, 3 otherwise;
    /// `nil` when it requires a property whose value `a` cannot have or must fail.
    private func separationCost(_ a: SchemaConjunct, _ term: SchemaConjunct) -> Int? {
        let properties = a.first("properties")
        let closed = a.first("additionalProperties") == .bool(false) && !a.has("patternProperties")
        func allowed(_ name: String) -> Bool {
            if let schema = properties?[name] { return schema != .bool(false) }
            return !closed
        }
        if case .array(let names)? = term.first("required") {
            for case .string(let name) in names {
                if !allowed(name) { return nil }
                if case .object(let members)? = term.first("properties")?[name], members.count == 1, members[0].key == "not",
                   properties?[name] == members[0].value {
                    return nil
                }
            }
        }
        if term.has(SchemaConjunct.notEnum) || term.has("enum") { return 1 }
        // A value exclusion on a property that `a` draws from a list: exact, by the validator.
        if let excluded = term.first("properties")?.members, excluded.count == 1,
           let negated = excluded[0].value["not"], negated["enum"] != nil || negated["const"] != nil,
           let own = properties?[excluded[0].key], own["enum"] != nil || own["const"] != nil {
            return 1
        }
        if let forbidden = term.first("properties")?.members, forbidden.count == 1, forbidden[0].value == .bool(false), !term.has("required") {
            return allowed(forbidden[0].key) ? 2 : 0
        }
        if term.has("type"), term.keywords.count == 1 { return 1 }
        return 3
    }
}
