extension StrategySpecificationError: CustomStringConvertible {
    /// A sentence a user understands, naming what was written and what is valid.
    public var description: String {
        switch self {
        case .emptyList(let valid):
            return "no strategy given; valid strategies: \(valid.joined(separator: ", "))"
        case .unknownName(let name, let valid):
            return "unknown strategy '\(name)'; valid strategies: \(valid.joined(separator: ", "))"
        case .missingArgument(let name):
            return "strategy '\(name)' needs a positive number after ':' (\(name):4)"
        case .invalidArgument(let name, let argument):
            return "strategy '\(name):\(argument)' needs a positive number after ':' (\(name):4)"
        case .unexpectedArgument(let name, let argument):
            return "strategy '\(name)' takes no ':' argument, got '\(name):\(argument)'"
        case .unknownModifier(let modifier, let valid):
            return "unknown strategy modifier '+\(modifier)'; valid modifiers: \(valid.joined(separator: ", "))"
        case .repeatedModifier(let modifier):
            return "strategy modifier '+\(modifier)' is given twice"
        case .unknownDraftSource(let source, let valid):
            return "unknown draft source '\(source)' in '+draft:\(source)'; valid sources: \(valid.joined(separator: ", "))"
        case .constrainedByItself(let strategy):
            return "strategy '\(strategy)' is constrained by itself; '+lcd' applies to the other strategies"
        }
    }
}
