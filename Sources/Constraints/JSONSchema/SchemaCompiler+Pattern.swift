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
            var open = (start: !anchoredStart, end: !anchoredEnd)
            if minimum != nil || maximum != nil, !(RegexNode.sequence(items).lengthRange.minimum >= (minimum ?? 0) && maximum == nil) {
                guard let adjusted = try lengthAdjusted(items, anchoredStart: anchoredStart, anchoredEnd: anchoredEnd,
                                                        minimum: minimum ?? 0, maximum: maximum, path: path) else { continue }
                items = adjusted
                open = (false, false)
            }
            var parts: [GrammarExpression] = []
            if open.start { parts.append(.repetition(anyCharacter, minimum: 0, maximum: nil)) }
            for item in items { parts.append(try regexGrammar(item, path: path)) }
            if open.end { parts.append(.repetition(anyCharacter, minimum: 0, maximum: nil)) }
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

    /// The branch's items, anchored at both ends, with `[minimum, maximum]` folded in; `nil`
    /// when no string of the branch has an allowed length.
    ///
    /// An open end becomes a filler item (any character, any number); a variable repetition
    /// next to an open end first shrinks to its minimum (the filler absorbs the rest, so this
    /// is exact). Then the repetitions of fixed-width items share the length budget: raised
    /// minimums cover `minimum`, and the room up to `maximum` is split evenly among them. With
    /// one such repetition this is exact; with several it is a sound subset (a long first part
    /// may not borrow room from a short second one).
    private func lengthAdjusted(_ branch: [RegexNode], anchoredStart: Bool, anchoredEnd: Bool, minimum: Int, maximum: Int?,
                                path: String) throws(JSONSchemaError) -> [RegexNode]? {
        var items = branch
        func shrink(_ index: Int) {
            guard case .repetition(let inner, let low, let high) = items[index], high != low else { return }
            if low == 0 { items.remove(at: index) } else { items[index] = .repetition(inner, minimum: low, maximum: low) }
        }
        if !anchoredEnd, !items.isEmpty { shrink(items.count - 1) }
        if !anchoredStart, !items.isEmpty { shrink(0) }
        let filler = RegexNode.repetition(.characters(.all), minimum: 0, maximum: nil)
        if !anchoredStart { items.insert(filler, at: 0) }
        if !anchoredEnd { items.append(filler) }
        let ranges = items.map(\.lengthRange)
        let lowest = ranges.reduce(0) { $0 + $1.minimum }
        if let maximum, lowest > maximum { return nil }
        if ranges.allSatisfy({ $0.maximum != nil }) {
            let highest = ranges.reduce(0) { $0 + ($1.maximum ?? 0) }
            if lowest >= minimum, maximum.map({ highest <= $0 }) ?? true { return items }
        }
        // Adjustable: repetitions of fixed-width items. Other variable items keep their range.
        var adjustable: [(index: Int, inner: RegexNode, width: Int, low: Int, high: Int?)] = []
        var reserved = 0
        for (i, item) in items.enumerated() where ranges[i].maximum != ranges[i].minimum {
            if case .repetition(let inner, let low, let high) = item, let w = inner.lengthRange.maximum, w == inner.lengthRange.minimum, w > 0 {
                adjustable.append((i, inner, w, low, high))
            } else if let m = ranges[i].maximum {
                reserved += m - ranges[i].minimum
            } else {
                try unsupported("maxLength", path, "length bounds next to an unbounded pattern part of varying width")
                return items
            }
        }
        guard !adjustable.isEmpty else {
            try unsupported("maxLength", path, "length bounds next to this pattern")
            return items
        }
        // Minimum: raise the repetitions' counts in turn, one at a time, until the lowest
        // length reaches it.
        var deficit = minimum - lowest
        var raised = true
        while deficit > 0, raised {
            raised = false
            for a in adjustable.indices where deficit > 0 && adjustable[a].high.map({ adjustable[a].low < $0 }) ?? true {
                adjustable[a].low += 1
                deficit -= adjustable[a].width
                raised = true
            }
        }
        if deficit > 0 { return nil }
        // Maximum: the room left, split evenly.
        if let maximum {
            let base = adjustable.reduce(lowest) { $0 + ($1.low - (items[$1.index].lengthRange.minimum / $1.width)) * $1.width }
            let room = maximum - base - reserved
            if room < 0 {
                try unsupported("maxLength", path, "length bounds next to this pattern")
                return items
            }
            let share = room / adjustable.count
            for a in adjustable.indices {
                let extra = share / adjustable[a].width
                adjustable[a].high = min(adjustable[a].high ?? Int.max, adjustable[a].low + extra)
            }
        }
        for a in adjustable {
            items[a.index] = .repetition(a.inner, minimum: a.low, maximum: a.high)
        }
        return items
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
