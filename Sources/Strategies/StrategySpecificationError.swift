/// Text that is not a strategy of the strategy language (``StrategySpecification``).
public enum StrategySpecificationError: Error, Sendable, Hashable {
    /// A list with no strategy in it; the valid names.
    case emptyList(valid: [String])
    /// A name that is not a strategy; the valid names, with their arguments' placeholders.
    case unknownName(String, valid: [String])
    /// A name that needs a number (`beam`) given without one.
    case missingArgument(name: String)
    /// A number that is not a whole number ≥ 1 (`beam:0`, `beam:x`).
    case invalidArgument(name: String, argument: String)
    /// An argument given to a name that takes none (`greedy:3`).
    case unexpectedArgument(name: String, argument: String)
    /// A modifier after `+` that is not one (`beam:4+fast`); the valid modifiers.
    case unknownModifier(String, valid: [String])
    /// A modifier given twice (`lcd+draft:ngram+draft:model`); its name.
    case repeatedModifier(String)
    /// `+draft:` with a source that is not one; the valid sources.
    case unknownDraftSource(String, valid: [String])
    /// `+lcd` on a strategy that is constrained by itself (`awrs+lcd`).
    case constrainedByItself(strategy: String)
}
