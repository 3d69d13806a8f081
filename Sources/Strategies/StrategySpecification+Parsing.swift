extension StrategySpecification {
    /// Parses one `name[:argument][+modifier…]` (surrounding spaces ignored; see the type's
    /// tables).
    ///
    /// - Throws: ``StrategySpecificationError`` for an unknown name (listing the valid ones), a
    ///   missing number or one that is not a whole number ≥ 1, an argument given to a name
    ///   that takes none, an unknown or repeated modifier, an unknown draft source, and `+lcd`
    ///   on a strategy constrained by itself.
    public init(parsing text: String) throws(StrategySpecificationError) {
        let pieces = text.trimmingSpaces.split(separator: "+", omittingEmptySubsequences: false)
            .map { String($0).trimmingSpaces }
        let kind = try Self.parseKind(pieces[0])
        var constrained = false
        var drafter: DraftSource?
        for modifier in pieces.dropFirst() {
            if modifier == "lcd" {
                if kind.isConstrainedByItself { throw .constrainedByItself(strategy: pieces[0]) }
                if constrained { throw .repeatedModifier(modifier) }
                constrained = true
            } else if modifier.hasPrefix("draft:") {
                let name = String(modifier.dropFirst("draft:".count))
                guard let source = DraftSource(rawValue: name) else {
                    throw .unknownDraftSource(name, valid: DraftSource.allCases.map(\.rawValue))
                }
                if drafter != nil { throw .repeatedModifier("draft") }
                drafter = source
            } else {
                throw .unknownModifier(modifier, valid: Self.modifierSyntax)
            }
        }
        self.init(kind, constrained: constrained, drafter: drafter)
    }

    /// The kind one `name[:argument]` names.
    private static func parseKind(_ text: String) throws(StrategySpecificationError) -> Kind {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        let argument = parts.count == 2 ? parts[1] : nil
        if let kind = plainKinds[name] {
            if let argument { throw .unexpectedArgument(name: name, argument: argument) }
            return kind
        }
        guard let make = numberedKinds[name] else { throw .unknownName(name, valid: syntax) }
        guard let argument else { throw .missingArgument(name: name) }
        guard let value = Int(argument), value >= 1 else { throw .invalidArgument(name: name, argument: argument) }
        return make(value)
    }

    /// Parses a comma-separated list; empty items (`a,,b`) are skipped.
    ///
    /// - Throws: ``StrategySpecificationError/emptyList`` when no item is left, and the first
    ///   bad item's error.
    public static func parseList(_ text: String) throws(StrategySpecificationError) -> [StrategySpecification] {
        let items = text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw .emptyList(valid: syntax) }
        var list: [StrategySpecification] = []
        for item in items { list.append(try StrategySpecification(parsing: item)) }
        return list
    }

    /// The names that take no argument.
    private static let plainKinds: [String: Kind] = [
        "greedy": .greedy, "sample": .sample, "cautious": .cautious, "diverse": .diverse, "lcd": .lcd, "awrs": .awrs,
    ]

    /// The names that take a number, and the kind each number makes.
    private static let numberedKinds: [String: @Sendable (Int) -> Kind] = [
        "best-of-n": { .bestOfN($0) }, "vote": { .vote($0) }, "beam": { .beam($0) }, "lookahead": { .lookahead($0) },
        "smc": { .smc($0) },
    ]
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
