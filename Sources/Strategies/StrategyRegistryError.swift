/// A strategy that cannot be built as asked: a constrained strategy without a constraint, a
/// speculative one without its draft model, or a combination that cannot be composed exactly.
public enum StrategyRegistryError: Error, Sendable, Hashable {
    /// `lcd`, `awrs`, `smc:N` or a `+lcd` strategy with no constraint in the context.
    case needsConstraint(strategy: String)
    /// `+draft:model` with no ``StrategyContext/draftModel``.
    case needsDraftModel(strategy: String)
    /// A strategy combined with something it cannot run under; `with` names it ("speculative
    /// decoding", "a constraint") and `reason` says why.
    case unsupportedComposition(strategy: String, with: String, reason: String)
}
