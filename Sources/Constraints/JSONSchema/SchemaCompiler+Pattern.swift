extension SchemaCompiler {
    /// A JSON string whose decoded text matches `regex` (searched, as JSON Schema's `pattern`
    /// is: unanchored ends match anything), intersected with length bounds where the regex
    /// allows it. Characters the regex names are accepted raw or as `\"`, `\\`, `\/` and the
    /// control escapes; other `\u` escapes only in unanchored filler.
    mutating func patternString(_ regex: RegexNode, minimum: Int?, maximum: Int?, path: String) throws(JSONSchemaError) -> GrammarExpression? {
        var alternatives: [GrammarExpression] = []
        for branch in regex.anchoredBranches {
            var items = branch.items
            let anchoredStart = branch.anchoredStart
            let anchoredEnd = branch.anchoredEnd
            if items.contains(where: Self.hasAnchor) {
                try unsupported("pattern", path, "anchors inside the pattern")
                continue
            }
            if minimum != nil || maximum != nil {
                guard let adjusted = try lengthAdjusted(items, anchored: anchoredStart && anchoredEnd, minimum: minimum ?? 0, maximum: maximum, path: path) else { continue }
                items = adjusted
            }
            var parts: [GrammarExpression] = []
            if !anchoredStart { parts.append(.repetition(anyCharacter, minimum: 0, maximum: nil)) }
            for item in items { parts.append(try regexGrammar(item, path: path)) }
            if !anchoredEnd { parts.append(.repetition(anyCharacter, minimum: 0, maximum: nil)) }
            alternatives.append(.sequence(parts))
        }
        if alternatives.isEmpty { return nil }
        let body: GrammarExpression = alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
        return builder.rule("pattern", .seq(.literal("\""), body, .literal("\"")))
    }

    private static func hasAnchor(_ node: RegexNode) -> Bool {
        switch node {
        case .start, .end: true
        case .characters: false
        case .sequence(let parts), .alternation(let parts): parts.contains(where: hasAnchor)
        case .repetition(let inner, _, _): hasAnchor(inner)
        }
    }

    /// The branch's items with `[minimum, maximum]` folded in, `nil` when no string of the
    /// branch has an allowed length; unsupported when the lengths cannot be folded in.
    private func lengthAdjusted(_ items: [RegexNode], anchored: Bool, minimum: Int, maximum: Int?, path: String) throws(JSONSchemaError) -> [RegexNode]? {
        let range = RegexNode.sequence(items).lengthRange
        if !anchored {
            if maximum == nil, range.minimum >= minimum { return items }
            try unsupported("maxLength", path, "length bounds on an unanchored pattern")
            return items
        }
        if range.minimum >= minimum, let hi = range.maximum, maximum.map({ hi <= $0 }) ?? true { return items }
        if range.minimum >= minimum, range.maximum == nil, maximum == nil { return items }
        // One variable item of single characters: fold the bounds into its count.
        let variable = items.indices.filter { let r = items[$0].lengthRange; return r.maximum != r.minimum }
        guard variable.count == 1, case .repetition(let inner, let low, let high) = items[variable[0]],
              inner.lengthRange == (1, 1) || { if case .characters = inner { return true } else { return false } }() else {
            try unsupported("maxLength", path, "length bounds next to this pattern")
            return items
        }
        let fixed = range.minimum - low
        let newLow = max(low, minimum - fixed)
        let newHigh: Int? = {
            switch (high, maximum) {
            case (nil, nil): return nil
            case (let h?, nil): return h
            case (nil, let m?): return m - fixed
            case (let h?, let m?): return min(h, m - fixed)
            }
        }()
        if let newHigh, newHigh < newLow { return nil }
        var out = items
        out[variable[0]] = .repetition(inner, minimum: newLow, maximum: newHigh)
        return out
    }

    private mutating func regexGrammar(_ node: RegexNode, path: String) throws(JSONSchemaError) -> GrammarExpression {
        switch node {
        case .characters(let set): return jsonCharacter(set)
        case .sequence(let parts):
            var out: [GrammarExpression] = []
            for part in parts { out.append(try regexGrammar(part, path: path)) }
            return .sequence(out)
        case .alternation(let branches):
            var out: [GrammarExpression] = []
            for branch in branches { out.append(try regexGrammar(branch, path: path)) }
            return .choice(out)
        case .repetition(let inner, let minimum, let maximum):
            let low = try repetitionCount(minimum, keyword: "pattern", path: path)
            let high = maximum.map { min($0, options.repetitionLimit) }
            if inner.lengthRange.minimum == 0 {
                // x{m,n} with x nullable is (x minus the empty string){0,n}.
                guard let core = inner.nonEmpty else { return .empty }
                return .repetition(try regexGrammar(core, path: path), minimum: 0, maximum: high)
            }
            return .repetition(try regexGrammar(inner, path: path), minimum: low, maximum: high)
        case .start, .end: return .empty
        }
    }

    /// One JSON-encoded character from `set`: raw where JSON allows, else its escape.
    mutating func jsonCharacter(_ set: CodePointSet) -> GrammarExpression {
        let special = CodePointSet(ranges: [0...0x1F, 0x22...0x22, 0x5C...0x5C])
        var alternatives: [GrammarExpression] = []
        let raw = set.subtracting(special)
        if !raw.isEmpty { alternatives.append(.characters(raw)) }
        let shortEscapes: [UInt32: String] = [0x22: "\\\"", 0x5C: "\\\\", 0x2F: "\\/", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"]
        for (value, escape) in shortEscapes.sorted(by: { $0.key < $1.key }) where set.contains(value) {
            alternatives.append(.literal(escape))
        }
        for range in set.intersection(CodePointSet(ranges: [0...0x1F])).ranges {
            for value in range where shortEscapes[value] == nil {
                let hex = String(value, radix: 16)
                let text = "\\u00" + (hex.count == 1 ? "0" : "") + hex
                alternatives.append(.literal(text))
                if text.uppercased().dropFirst(2) != text.dropFirst(2) { alternatives.append(.literal("\\u" + text.dropFirst(2).uppercased())) }
            }
        }
        if alternatives.count == 1, case .characters = alternatives[0] { return alternatives[0] }
        if alternatives.isEmpty { return .characters(.empty) }
        return builder.rule("c", .choice(alternatives))
    }
}
