import Strategies
import Testing

/// The strategy language: every name parses, prints back the same, and says whether it uses
/// the seed and needs a constraint; every bad input is a typed error with a sentence.
@Suite("StrategySpecification")
struct StrategySpecificationTests {
    static let valid: [(text: String, kind: StrategySpecification.Kind, usesSeed: Bool, needsConstraint: Bool)] = [
        ("greedy", .greedy, false, false),
        ("sample", .sample, true, false),
        ("cautious", .cautious, true, false),
        ("best-of-n:4", .bestOfN(4), true, false),
        ("vote:8", .vote(8), true, false),
        ("beam:2", .beam(2), false, false),
        ("diverse", .diverse, true, false),
        ("lookahead:3", .lookahead(3), false, false),
        ("lcd", .lcd, true, true),
        ("awrs", .awrs, true, true),
        ("smc:16", .smc(16), true, true),
    ]

    @Test("each name parses, round-trips through description, and reports seed and constraint", arguments: valid)
    func parses(text: String, kind: StrategySpecification.Kind, usesSeed: Bool, needsConstraint: Bool) throws {
        let specification = try StrategySpecification(parsing: text)
        #expect(specification.kind == kind)
        #expect(specification.description == text)
        #expect(try StrategySpecification(parsing: specification.description) == specification)
        #expect(specification.usesSeed == usesSeed)
        #expect(specification.needsConstraint == needsConstraint)
    }

    @Test("the syntax lists every name once, in the table's order")
    func syntaxCoversEveryName() {
        #expect(StrategySpecification.syntax.map { String($0.split(separator: ":")[0]) }
                == Self.valid.map { String($0.text.split(separator: ":")[0]) })
    }

    static let invalid: [(text: String, error: StrategySpecificationError, mentions: String)] = [
        ("bogus", .unknownName("bogus", valid: StrategySpecification.syntax),
         "unknown strategy 'bogus'; valid strategies: greedy, sample, cautious, best-of-n:N, vote:N, beam:W, diverse, lookahead:L, lcd, awrs, smc:N"),
        ("", .unknownName("", valid: StrategySpecification.syntax), "unknown strategy ''"),
        ("Beam:2", .unknownName("Beam", valid: StrategySpecification.syntax), "unknown strategy 'Beam'"),
        ("beam", .missingArgument(name: "beam"), "strategy 'beam' needs a positive number after ':' (beam:4)"),
        ("smc", .missingArgument(name: "smc"), "strategy 'smc' needs a positive number"),
        ("best-of-n:", .invalidArgument(name: "best-of-n", argument: ""), "strategy 'best-of-n:' needs a positive number"),
        ("beam:0", .invalidArgument(name: "beam", argument: "0"), "strategy 'beam:0' needs a positive number"),
        ("vote:-3", .invalidArgument(name: "vote", argument: "-3"), "positive number"),
        ("lookahead:x", .invalidArgument(name: "lookahead", argument: "x"), "positive number"),
        ("smc:2.5", .invalidArgument(name: "smc", argument: "2.5"), "positive number"),
        ("beam:2:3", .invalidArgument(name: "beam", argument: "2:3"), "positive number"),
        ("greedy:3", .unexpectedArgument(name: "greedy", argument: "3"), "strategy 'greedy' takes no ':' argument, got 'greedy:3'"),
        ("awrs:", .unexpectedArgument(name: "awrs", argument: ""), "strategy 'awrs' takes no ':' argument"),
        ("lcd:4", .unexpectedArgument(name: "lcd", argument: "4"), "takes no ':' argument"),
    ]

    static let modified: [(text: String, canonical: String, kind: StrategySpecification.Kind, constrained: Bool,
                           drafter: StrategySpecification.DraftSource?)] = [
        ("beam:4+lcd", "beam:4+lcd", .beam(4), true, nil),
        ("cautious + lcd", "cautious+lcd", .cautious, true, nil),
        ("sample+lcd", "lcd", .lcd, false, nil),
        ("sample+draft:ngram", "sample+draft:ngram", .sample, false, .ngram),
        ("lcd+draft:model", "lcd+draft:model", .lcd, false, .model),
        ("greedy+draft:ngram+lcd", "greedy+lcd+draft:ngram", .greedy, true, .ngram),
        ("sample+draft:model+lcd", "lcd+draft:model", .lcd, false, .model),
        ("awrs+draft:ngram", "awrs+draft:ngram", .awrs, false, .ngram),
    ]

    @Test("modifiers parse and print canonically (base, +lcd, +draft), and round-trip",
          arguments: modified)
    func modifiers(text: String, canonical: String, kind: StrategySpecification.Kind, constrained: Bool,
                   drafter: StrategySpecification.DraftSource?) throws {
        let specification = try StrategySpecification(parsing: text)
        #expect(specification.kind == kind)
        #expect(specification.isConstrained == constrained)
        #expect(specification.drafter == drafter)
        #expect(specification.description == canonical)
        #expect(try StrategySpecification(parsing: canonical) == specification)
        #expect(specification.needsConstraint == (constrained || kind == .lcd || kind == .awrs))
        #expect(specification.isSpeculative == (drafter != nil))
    }

    static let badModifiers: [(text: String, error: StrategySpecificationError, mentions: String)] = [
        ("beam:2+fast", .unknownModifier("fast", valid: StrategySpecification.modifierSyntax),
         "unknown strategy modifier '+fast'; valid modifiers: +lcd, +draft:ngram, +draft:model"),
        ("sample+", .unknownModifier("", valid: StrategySpecification.modifierSyntax), "unknown strategy modifier '+'"),
        ("beam:2+lcd+lcd", .repeatedModifier("lcd"), "strategy modifier '+lcd' is given twice"),
        ("sample+draft:ngram+draft:model", .repeatedModifier("draft"), "'+draft' is given twice"),
        ("sample+draft:medusa", .unknownDraftSource("medusa", valid: ["ngram", "model"]),
         "unknown draft source 'medusa' in '+draft:medusa'; valid sources: ngram, model"),
        ("smc:4+lcd", .constrainedByItself(strategy: "smc:4"),
         "strategy 'smc:4' is constrained by itself; '+lcd' applies to the other strategies"),
        ("lcd+lcd", .constrainedByItself(strategy: "lcd"), "constrained by itself"),
        ("draft:ngram", .unknownName("draft", valid: StrategySpecification.syntax), "unknown strategy 'draft'"),
    ]

    @Test("bad modifiers are typed errors with a sentence", arguments: badModifiers)
    func refusesModifiers(text: String, error: StrategySpecificationError, mentions: String) {
        #expect(throws: error) { try StrategySpecification(parsing: text) }
        #expect(error.description.contains(mentions), "\(error)")
    }

    @Test("bad input is a typed error with a sentence", arguments: invalid)
    func refuses(text: String, error: StrategySpecificationError, mentions: String) {
        #expect(throws: error) { try StrategySpecification(parsing: text) }
        #expect(error.description.contains(mentions), "\(error)")
    }

    @Test("lists: commas, surrounding spaces and empty items")
    func parsesLists() throws {
        let list = try StrategySpecification.parseList(" greedy, beam:4 ,,smc:8,")
        #expect(list.map(\.description) == ["greedy", "beam:4", "smc:8"])
        #expect(try StrategySpecification.parseList(list.map(\.description).joined(separator: ",")) == list)
        #expect(try StrategySpecification.parseList("beam:04").map(\.description) == ["beam:4"])
    }

    @Test("an empty list, and a list with one bad item, are refused", arguments: ["", " , ,"])
    func refusesEmptyLists(text: String) {
        #expect(throws: StrategySpecificationError.emptyList(valid: StrategySpecification.syntax)) {
            try StrategySpecification.parseList(text)
        }
        #expect(StrategySpecificationError.emptyList(valid: StrategySpecification.syntax).description
                .hasPrefix("no strategy given; valid strategies: greedy"))
    }

    @Test("the first bad item of a list is its error")
    func refusesBadItem() {
        #expect(throws: StrategySpecificationError.missingArgument(name: "beam")) {
            try StrategySpecification.parseList("greedy,beam,bogus")
        }
    }
}
