/// A strategy that cannot be built as asked: a constrained strategy without a constraint, or a
/// combination the library does not compose yet.
public enum StrategyRegistryError: Error, Sendable, Hashable {
    /// `lcd`, `awrs` or `smc:N` with no constraint in the context.
    case needsConstraint(strategy: String)
    /// A strategy combined with something it does not run under yet; `with` names it
    /// ("a constraint", "speculative decoding").
    case unsupportedComposition(strategy: String, with: String)
}
