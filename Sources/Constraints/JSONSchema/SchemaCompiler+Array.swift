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
        for (value, keywordPath) in conjunct.all("uniqueItems") where value == .bool(true) && (maximum ?? 2) > 1 {
            try unsupported("uniqueItems", keywordPath + "/uniqueItems", "uniqueItems is not compiled")
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
