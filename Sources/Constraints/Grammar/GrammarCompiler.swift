/// Lowers ``GBNFSyntax`` to byte-level rules (``GrammarIR``): literals to bytes, classes to
/// UTF-8 byte-class alternatives, groups and repetitions to helper rules.
struct GrammarCompiler {
    let limits: GrammarLimits
    private var ir = GrammarIR()
    private var ids: [String: Int32] = [:]
    private var classRules: [CodePointSet: GrammarIR.Symbol] = [:]
    private var byteSetIds: [ByteSet: Int32] = [:]
    private var elementBudget = 0

    init(limits: GrammarLimits) {
        self.limits = limits
    }

    mutating func compile(_ syntax: GBNFSyntax) throws(GrammarError) -> GrammarIR {
        let firstRule = ir.rules.count
        for rule in syntax.rules {
            if ids[rule.name] != nil { throw .duplicateRule(rule.name, at: rule.location) }
            ids[rule.name] = Int32(ir.rules.count)
            ir.rules.append(.init(name: rule.name, owner: rule.name, location: rule.location, alternatives: []))
        }
        guard let root = ids["root"] else { throw .missingRoot }
        ir.root = root
        for (offset, rule) in syntax.rules.enumerated() {
            let id = firstRule + offset
            var alternatives: [[GrammarIR.Symbol]] = []
            for alternative in rule.alternatives {
                alternatives.append(try sequence(alternative, in: rule.name, location: rule.location))
            }
            ir.rules[id].alternatives = alternatives
        }
        ir.byteSets = byteSetIds.sorted { $0.value < $1.value }.map(\.key)
        return ir
    }

    private mutating func charge(_ n: Int) throws(GrammarError) {
        elementBudget += n
        if elementBudget > limits.maxElements {
            throw .grammarTooLarge(elements: elementBudget, limit: limits.maxElements)
        }
    }

    private mutating func newRule(_ parent: String, _ location: GrammarLocation,
                                  _ alternatives: [[GrammarIR.Symbol]]) throws(GrammarError) -> GrammarIR.Symbol {
        try charge(alternatives.reduce(0) { $0 + $1.count + 1 })
        let id = Int32(ir.rules.count)
        ir.rules.append(.init(name: "\(parent)_\(id)", owner: parent, location: location, alternatives: alternatives))
        return .rule(id)
    }

    private mutating func byteSet(_ set: ByteSet) -> GrammarIR.Symbol {
        if let id = byteSetIds[set] { return .bytes(id) }
        let id = Int32(byteSetIds.count)
        byteSetIds[set] = id
        return .bytes(id)
    }

    private mutating func sequence(_ items: [GBNFSyntax.Item], in rule: String,
                                   location: GrammarLocation) throws(GrammarError) -> [GrammarIR.Symbol] {
        var out: [GrammarIR.Symbol] = []
        for item in items { out += try symbols(item, in: rule) }
        try charge(out.count + 1)
        return out
    }

    /// The symbols matching `item`, spliced into the enclosing sequence.
    private mutating func symbols(_ item: GBNFSyntax.Item, in rule: String) throws(GrammarError) -> [GrammarIR.Symbol] {
        switch item.atom {
        case .literal(let codePoints):
            var out: [GrammarIR.Symbol] = []
            for c in codePoints {
                for b in CodePointSet.encode(c) { out.append(byteSet(ByteSet(b...b))) }
            }
            return out
        case .characterClass(let set):
            return [try characterClass(set, in: rule, location: item.location)]
        case .reference(let name):
            guard let id = ids[name] else { throw .undefinedRule(name, at: item.location) }
            return [.rule(id)]
        case .group(let alternatives):
            if alternatives.count == 1 {
                var out: [GrammarIR.Symbol] = []
                for inner in alternatives[0] { out += try symbols(inner, in: rule) }
                return out
            }
            var lowered: [[GrammarIR.Symbol]] = []
            for alternative in alternatives {
                var out: [GrammarIR.Symbol] = []
                for inner in alternative { out += try symbols(inner, in: rule) }
                lowered.append(out)
            }
            return [try newRule(rule, item.location, lowered)]
        case .repetition(let inner, let min, let max):
            return try repetition(inner, min: min, max: max, in: rule, location: item.location)
        }
    }

    /// `x{min,max}` as `min` copies of `x` followed by a chain of optional copies
    /// (`R1 ::= x |`, `Rk ::= x R(k-1) |`), or by `R ::= x R |` when unbounded.
    private mutating func repetition(_ inner: GBNFSyntax.Item, min: Int, max: Int?, in rule: String,
                                     location: GrammarLocation) throws(GrammarError) -> [GrammarIR.Symbol] {
        for count in [min, max ?? 0] where count > limits.maxRepetition {
            throw .repetitionTooLarge(count: count, limit: limits.maxRepetition, at: location)
        }
        var body = try symbols(inner, in: rule)
        if body.count != 1 { body = [try newRule(rule, location, [body])] }
        let x = body[0]
        try charge(min)
        var out = [GrammarIR.Symbol](repeating: x, count: min)
        if let max {
            var tail: GrammarIR.Symbol?
            for _ in 0..<(max - min) {
                tail = try newRule(rule, location, [[x] + (tail.map { [$0] } ?? []), []])
            }
            if let tail { out.append(tail) }
        } else {
            let id = Int32(ir.rules.count)
            let loop = try newRule(rule, location, [[x, .rule(id)], []])
            out.append(loop)
        }
        return out
    }

    /// A class as one byte-set terminal when it is ASCII only, else a helper rule whose
    /// alternatives are the ASCII part and the multi-byte UTF-8 byte-range sequences.
    private mutating func characterClass(_ set: CodePointSet, in rule: String,
                                         location: GrammarLocation) throws(GrammarError) -> GrammarIR.Symbol {
        if let symbol = classRules[set] { return symbol }
        var ascii = ByteSet()
        var multibyte: [[GrammarIR.Symbol]] = []
        for range in set.ranges {
            for sequence in CodePointSet.utf8Sequences(range) {
                if sequence.count == 1 {
                    for b in sequence[0] { ascii.insert(b) }
                } else {
                    multibyte.append(sequence.map { byteSet(ByteSet($0)) })
                }
            }
        }
        let symbol: GrammarIR.Symbol
        if multibyte.isEmpty {
            symbol = byteSet(ascii)
        } else {
            let alternatives = (ascii.isEmpty ? [] : [[byteSet(ascii)]]) + multibyte
            symbol = try newRule(rule, location, alternatives)
        }
        classRules[set] = symbol
        return symbol
    }
}
