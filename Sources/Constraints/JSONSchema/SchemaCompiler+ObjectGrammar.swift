extension SchemaCompiler {
    /// One declared member of an object: the grammar of `"key": value` and whether it must be
    /// present.
    struct ObjectMember {
        var expression: GrammarExpression
        var required: Bool
    }

    /// Most object-automaton transitions (states times the members that may follow each) one
    /// schema may compile to in total; past it, objects take fewer members in any order (see
    /// ``objectGrammar(_:additional:count:brackets:)``), which bounds grammar size and compile
    /// time. One any-order object of 8 optional members costs 256 × 10.
    static let objectStateBudget = 16_000

    /// `{` members `}`: each declared member at most once, every required one present,
    /// additional members (when allowed) anywhere, and the member count within
    /// `count` (`minProperties`/`maxProperties`).
    ///
    /// Members are *floating* (any order; the automaton remembers which were written, 2^f
    /// states) or *ordered* (in `properties` order; it remembers a position). All members
    /// float when there are at most ``JSONSchemaGrammar/Options/anyOrderLimit`` of them;
    /// otherwise the required ones float and the optional ones keep their order. Either way
    /// the grammar accepts only valid objects; past ``objectStateBudget`` (shared by the whole
    /// schema) fewer members float, so some member orders of valid objects are rejected.
    /// With `brackets` `[`, `]` the same automaton writes arrays of distinct elements.
    mutating func objectGrammar(_ members: [ObjectMember], additional: GrammarExpression?,
                                count: (minimum: Int?, maximum: Int?), brackets: (String, String) = ("{", "}")) -> GrammarExpression? {
        // The member count is tracked only where a bound can bite.
        let possible: Int? = additional == nil ? members.count : nil
        let maximum = count.maximum.flatMap { m in possible.map { $0 <= m } ?? false ? nil : m }
        let cap = maximum ?? count.minimum ?? 0
        func states(floating: Int, ordered: Int) -> Int { (ordered + 1) * (1 << floating) * (cap + 1) * (floating + 2) }
        var floating: [Int] = []
        if members.count <= options.anyOrderLimit, states(floating: members.count, ordered: 0) <= objectBudgetLeft {
            floating = Array(members.indices)
        } else {
            let required = members.indices.filter { members[$0].required }
            if required.count <= options.anyOrderLimit,
               states(floating: required.count, ordered: members.count - required.count) <= objectBudgetLeft {
                floating = required
            }
        }
        let ordered = members.indices.filter { !floating.contains($0) }
        objectBudgetLeft -= min(objectBudgetLeft, states(floating: floating.count, ordered: ordered.count))
        var automaton = ObjectAutomaton(
            floating: floating.map { members[$0] }, ordered: ordered.map { members[$0] }, additional: additional,
            minimum: count.minimum, maximum: maximum, comma: .seq(.literal(","), ws))
        var start: [GrammarExpression] = []
        if let first = automaton.next(0, 0, 0, &builder) { start.append(first) }
        if automaton.mayEnd(0, 0, 0) { start.append(.empty) }
        if start.isEmpty { return nil }
        return builder.rule(brackets.0 == "{" ? "object" : "array", .seq(.literal(brackets.0), ws, start.count == 1 ? start[0] : .choice(start), .literal(brackets.1)))
    }
}

/// The states of an object's member list: `rest(k, mask, c)` after some members, where the
/// ordered members before `k` are settled, `mask` holds the floating members written and `c`
/// counts members (saturating where only a minimum matters); `next` writes one more member;
/// `chain(k…)` writes the ordered member at `k` or skips it when optional.
struct ObjectAutomaton {
    let floating: [SchemaCompiler.ObjectMember]
    let ordered: [SchemaCompiler.ObjectMember]
    let additional: GrammarExpression?
    let minimum: Int?
    let maximum: Int?
    let comma: GrammarExpression
    private var rules: [String: GrammarExpression?] = [:]
    private let requiredFloating: Int
    private let requiredFrom: [Bool]

    init(floating: [SchemaCompiler.ObjectMember], ordered: [SchemaCompiler.ObjectMember], additional: GrammarExpression?,
         minimum: Int?, maximum: Int?, comma: GrammarExpression) {
        self.floating = floating
        self.ordered = ordered
        self.additional = additional
        self.minimum = minimum
        self.maximum = maximum
        self.comma = comma
        var mask = 0
        for (i, m) in floating.enumerated() where m.required { mask |= 1 << i }
        requiredFloating = mask
        var from = Array(repeating: false, count: ordered.count + 1)
        for k in stride(from: ordered.count - 1, through: 0, by: -1) { from[k] = from[k + 1] || ordered[k].required }
        requiredFrom = from
    }

    /// Whether the object may close here.
    func mayEnd(_ k: Int, _ mask: Int, _ c: Int) -> Bool {
        !requiredFrom[k] && mask & requiredFloating == requiredFloating && c >= (minimum ?? 0)
    }

    private func counted(_ c: Int) -> Int {
        if maximum != nil { return c + 1 }
        return min(c + 1, minimum ?? 0)
    }

    /// `, member rest(…)` alternatives or the end, as a rule; `nil` when nothing can follow.
    mutating func rest(_ k: Int, _ mask: Int, _ c: Int, _ builder: inout GrammarBuilder) -> GrammarExpression? {
        let key = "r\(k):\(mask):\(c)"
        if let done = rules[key] { return done }
        let name = builder.reserve("obj-rest")
        rules[key] = .some(.rule(name))
        var alternatives: [GrammarExpression] = []
        if let more = next(k, mask, c, &builder) { alternatives.append(.seq(comma, more)) }
        if mayEnd(k, mask, c) { alternatives.append(.empty) }
        if alternatives.isEmpty {
            rules[key] = .some(nil)
            builder.define(name, .choice([]))
            return nil
        }
        builder.define(name, alternatives.count == 1 ? alternatives[0] : .choice(alternatives))
        return .rule(name)
    }

    /// One more member, then `rest`; `nil` when no member may come next.
    mutating func next(_ k: Int, _ mask: Int, _ c: Int, _ builder: inout GrammarBuilder) -> GrammarExpression? {
        if let maximum, c >= maximum { return nil }
        let key = "n\(k):\(mask):\(c)"
        if let done = rules[key] { return done }
        var alternatives: [GrammarExpression] = []
        for (j, member) in floating.enumerated() where mask & (1 << j) == 0 {
            if let after = rest(k, mask | 1 << j, counted(c), &builder) { alternatives.append(.seq(member.expression, after)) }
        }
        if let e = chain(k, mask, c, &builder) { alternatives.append(e) }
        if let additional, let after = rest(k, mask, counted(c), &builder) { alternatives.append(.seq(additional, after)) }
        let result: GrammarExpression? = alternatives.isEmpty ? nil
            : builder.rule("obj-next", alternatives.count == 1 ? alternatives[0] : .choice(alternatives))
        rules[key] = .some(result)
        return result
    }

    /// The ordered member at `k`, or (when it is optional) a later one.
    private mutating func chain(_ k: Int, _ mask: Int, _ c: Int, _ builder: inout GrammarBuilder) -> GrammarExpression? {
        guard k < ordered.count else { return nil }
        let key = "c\(k):\(mask):\(c)"
        if let done = rules[key] { return done }
        var alternatives: [GrammarExpression] = []
        if let after = rest(k + 1, mask, counted(c), &builder) { alternatives.append(.seq(ordered[k].expression, after)) }
        if !ordered[k].required, let later = chain(k + 1, mask, c, &builder) { alternatives.append(later) }
        let result: GrammarExpression? = alternatives.isEmpty ? nil
            : builder.rule("obj-chain", alternatives.count == 1 ? alternatives[0] : .choice(alternatives))
        rules[key] = .some(result)
        return result
    }
}
