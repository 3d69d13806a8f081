extension SchemaCompiler {
    /// An array: `prefixItems` in place, then `items`, with `minItems`/`maxItems` as exact
    /// repetition counts (a maximum above the repetition limit is lowered to it).
    mutating func compileArray(_ conjunct: SchemaConjunct, path: String) throws(JSONSchemaError) -> GrammarExpression? {
        for keyword in ["contains", "unevaluatedItems"] {
            for (value, keywordPath) in conjunct.all(keyword) where !(keyword == "unevaluatedItems" && value == .bool(true)) {
                try unsupported(keyword, keywordPath + "/" + keyword, "\(keyword) is not compiled")
            }
        }
        let base = conjunct.path("items")
        var minimum = 0
        var maximum: Int?
        for (value, keywordPath) in conjunct.all("minItems") { minimum = max(minimum, try count(value, "minItems", keywordPath)) }
        for (value, keywordPath) in conjunct.all("maxItems") {
            let n = try count(value, "maxItems", keywordPath)
            maximum = min(maximum ?? n, n)
        }
        if let maximum, minimum > maximum {
            throw .unsatisfiable(path: conjunct.path("minItems") + "/minItems", reason: "minItems \(minimum) > maxItems \(maximum)")
        }
        if conjunct.all("uniqueItems").contains(where: { $0.value == .bool(true) }), (maximum ?? 2) > 1 {
            // Items from a finite set of values: each value at most once (any order up to the
            // any-order limit). Otherwise a sound subset: at most one item.
            if !conjunct.has("prefixItems"), let values = try finiteValues(conjunct.first("items") ?? .bool(true), path: base + "/items") {
                let members = values.map { ObjectMember(expression: .seq(literalGrammar($0), ws), required: false) }
                if minimum > values.count {
                    emptyReason = (conjunct.path("minItems") + "/minItems", "minItems \(minimum) but only \(values.count) distinct items are allowed")
                    return nil
                }
                return objectGrammar(members, additional: nil, count: (minimum > 0 ? minimum : nil, maximum), brackets: ("[", "]"))
            }
            if minimum > 1 {
                try unsupported("uniqueItems", conjunct.path("uniqueItems") + "/uniqueItems", "uniqueItems with minItems above 1 and items that are not a finite set of values")
            } else {
                maximum = 1
            }
        }
        var prefix: [GrammarExpression] = []
        if case .array(let schemas)? = conjunct.first("prefixItems") {
            let prefixPath = conjunct.path("prefixItems") + "/prefixItems"
            for (index, schema) in schemas.enumerated() where maximum.map({ index < $0 }) ?? true {
                guard let e = try compileValue(schema, path: prefixPath + "/\(index)") else {
                    if index < minimum {
                        emptyReason = (prefixPath + "/\(index)", "item \(index) is required but cannot have any value")
                        return nil
                    }
                    maximum = index
                    break
                }
                prefix.append(e)
            }
        }
        let item = try compileValue(conjunct.first("items") ?? .bool(true), path: base + "/items")
        if item == nil { maximum = min(maximum ?? prefix.count, prefix.count) }
        if minimum > (maximum ?? Int.max) {
            emptyReason = (base, "minItems \(minimum) but at most \(maximum ?? 0) items can have a value")
            return nil
        }
        _ = try repetitionCount(minimum, keyword: "minItems", path: conjunct.path("minItems"))
        if let m = maximum { maximum = min(m, options.repetitionLimit) }
        return builder.rule("array", arrayGrammar(prefix: prefix, item: item, minimum: minimum, maximum: maximum))
    }

    /// The values `schema` allows when it is a finite set (`enum`s, `const`s, booleans and
    /// `null`), distinct by JSON equality; `nil` otherwise.
    private mutating func finiteValues(_ schema: JSONValue, path: String) throws(JSONSchemaError) -> [JSONValue]? {
        let conjuncts = try withoutNot(try expand(schema, path: path), path: path)
        let validator = SchemaValidator(root: root)
        var values: [JSONValue] = []
        func add(_ v: JSONValue) { if !values.contains(where: { SchemaValidator.equal($0, v) }) { values.append(v) } }
        for c in conjuncts {
            if case .array(let list)? = c.first("enum") {
                for v in list {
                    do {
                        if try validator.validate(v, members: c.keywords, path: path) { add(v) }
                    } catch {
                        return nil
                    }
                }
            } else if let t = c.first("type"), c.keywords.count == 1, SchemaConjunct.typeNames(t).isSubset(of: ["boolean", "null"]) {
                let names = SchemaConjunct.typeNames(t)
                if names.contains("null") { add(.null) }
                if names.contains("boolean") { add(.bool(true)); add(.bool(false)) }
            } else {
                return nil
            }
        }
        return values
    }

    private func count(_ value: JSONValue, _ keyword: String, _ path: String) throws(JSONSchemaError) -> Int {
        guard case .number(let text) = value, let d = DecimalText(text), d.isInteger, !d.negative else {
            throw .invalidKeyword(keyword: keyword, path: path + "/" + keyword, reason: "expected a non-negative integer")
        }
        return Int(d.truncatedMagnitude) ?? Int.max
    }

    /// `[` e0 `,` e1 … `]` with element i from `prefix[i]` or `item`, between `minimum` and
    /// `maximum` elements.
    private mutating func arrayGrammar(prefix: [GrammarExpression], item: GrammarExpression?, minimum: Int, maximum: Int?) -> GrammarExpression {
        let comma = GrammarExpression.seq(.literal(","), ws)
        func element(_ i: Int) -> GrammarExpression? { i < prefix.count ? prefix[i] : item }
        let open = GrammarExpression.seq(.literal("["), ws)
        let close = GrammarExpression.literal("]")
        if maximum == 0 { return .seq(open, close) }
        // After the prefix: further items, each after a comma.
        let restMinimum = max(0, minimum - prefix.count)
        var tail: GrammarExpression = .empty
        if let item, maximum.map({ $0 > prefix.count }) ?? true {
            tail = .repetition(.seq(comma, item, ws), minimum: max(0, restMinimum - (prefix.isEmpty ? 1 : 0)),
                               maximum: maximum.map { $0 - prefix.count - (prefix.isEmpty ? 1 : 0) })
        }
        if prefix.isEmpty {
            guard let item else { return .seq(open, close) }
            let body = GrammarExpression.seq(item, ws, tail)
            return .seq(open, minimum > 0 ? body : .optional(body), close)
        }
        // Prefix positions 1..<count, from the back: each present if required, else optional
        // (and then nothing after it may be present).
        var rest = tail
        for i in stride(from: prefix.count - 1, through: 1, by: -1) {
            guard let e = element(i) else { continue }
            let here = GrammarExpression.seq(comma, e, ws, rest)
            rest = i < minimum ? here : .optional(here)
        }
        let body = GrammarExpression.seq(prefix[0], ws, rest)
        return .seq(open, minimum > 0 ? body : .optional(body), close)
    }
}
