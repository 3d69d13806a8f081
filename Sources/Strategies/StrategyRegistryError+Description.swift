extension StrategyRegistryError: CustomStringConvertible {
    /// A sentence a user understands.
    public var description: String {
        switch self {
        case .needsConstraint(let strategy):
            return "strategy '\(strategy)' needs a constraint (a regular expression, a grammar or a JSON Schema)"
        case .needsDraftModel(let strategy):
            return "strategy '\(strategy)' needs a draft model with the target's vocabulary"
        case .unsupportedComposition(let strategy, let other, let reason):
            return "strategy '\(strategy)' cannot run with \(other): \(reason)"
        }
    }
}
