extension StrategyRegistryError: CustomStringConvertible {
    /// A sentence a user understands.
    public var description: String {
        switch self {
        case .needsConstraint(let strategy):
            return "strategy '\(strategy)' needs a constraint (a regular expression, a grammar or a JSON Schema)"
        case .unsupportedComposition(let strategy, let other):
            return "strategy '\(strategy)' with \(other) is not supported yet"
        }
    }
}
