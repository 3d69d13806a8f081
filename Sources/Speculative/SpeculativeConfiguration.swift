import Decoding

/// Everything that selects a speculative decoder, as plain values a command line can fill in:
/// the drafter, the tree shape, whether the budget adapts to the hardware, and the sampling
/// parameters shared by target and draft.
///
/// ```swift
/// var configuration = SpeculativeConfiguration(drafter: .ngram(minimumOrder: 1, maximumOrder: 4),
///                                              tree: .dynamic(budget: 32, depth: 8))
/// configuration.sampling = SamplingParameters(temperature: 0.7, seed: 1)
/// var strategy = try SpeculativeStrategy(target: model, configuration: configuration)
/// ```
public struct SpeculativeConfiguration: Sendable, Hashable {
    /// Where draft tokens come from.
    public enum DrafterKind: Sendable, Hashable {
        /// Prompt lookup over the context (``NGramDrafter``).
        case ngram(minimumOrder: Int, maximumOrder: Int)
        /// A smaller model with the same vocabulary (``ModelDrafter``), passed to the strategy.
        case model
    }

    /// Where draft tokens come from.
    public var drafter: DrafterKind
    /// The tree drafted each step.
    public var tree: TreeShape
    /// For a dynamic tree: choose the node count per step from measured costs
    /// (``TreeBudgetPlanner``), up to the tree's budget. Ignored for fixed shapes.
    public var adaptiveBudget: Bool
    /// Sampling parameters of the target (and of a model drafter); temperature 0 is greedy.
    public var sampling: SamplingParameters

    /// A configuration; by default a DySpec tree of 16 nodes and depth 6 with a fixed budget,
    /// sampling with llama.cpp's defaults.
    public init(drafter: DrafterKind = .ngram(minimumOrder: 1, maximumOrder: 4),
                tree: TreeShape = .dynamic(budget: 16, depth: 6),
                adaptiveBudget: Bool = false,
                sampling: SamplingParameters = SamplingParameters()) {
        self.drafter = drafter
        self.tree = tree
        self.adaptiveBudget = adaptiveBudget
        self.sampling = sampling
    }

    /// Whether verification is greedy (temperature 0).
    public var isGreedy: Bool { sampling.temperature == 0 }

    /// Checks every parameter.
    ///
    /// - Throws: the errors of ``TreeShape/validated()``,
    ///   ``SpeculativeError/invalidNGramOrder(minimum:maximum:limit:)``, and
    ///   ``SamplingError/invalidParameter(_:)`` for bad sampling parameters.
    public func validate() throws {
        _ = try tree.validated()
        if case .ngram(let minimum, let maximum) = drafter {
            _ = try NGramDrafter(minimumOrder: minimum, maximumOrder: maximum)
        }
        _ = try sampling.makeChain()
    }
}
