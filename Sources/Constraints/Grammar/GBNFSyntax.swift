/// The parsed form of a GBNF text, before compilation: rules made of alternatives made of items.
struct GBNFSyntax: Sendable {
    /// `name ::= alternatives`, with where the name starts.
    struct Rule: Sendable {
        var name: String
        var alternatives: [[Item]]
        var location: GrammarLocation
    }

    /// One element of a sequence, with where it starts.
    struct Item: Sendable {
        var atom: Atom
        var location: GrammarLocation
    }

    /// What an item matches.
    indirect enum Atom: Sendable {
        /// A `"…"` literal as code points.
        case literal([UInt32])
        /// A `[…]` class without surrogates (negation already applied).
        case characterClass(CodePointSet)
        /// A rule reference by name.
        case reference(String)
        /// A `( … )` group.
        case group([[Item]])
        /// `item{min,max}`; `max == nil` for no upper bound (`*`, `+`, `{m,}`).
        case repetition(Item, min: Int, max: Int?)
    }

    var rules: [Rule]
}
