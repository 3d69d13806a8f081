import Decoding
import Logging

/// Speculative decoding as a ``DecodingStrategy``: each step drafts a token tree, evaluates it
/// with one target ``LanguageModel/evaluateTree(_:after:)`` call, verifies it losslessly
/// (``TreeVerifier``) and emits the accepted tokens plus one corrected or bonus token.
///
/// The output has exactly the distribution of plain sampling with the same
/// ``SamplingParameters`` (greedy: the same tokens), whatever the drafter proposes; drafts only
/// change how many tokens a step yields. The session keeps only the accepted path: the tree
/// evaluation leaves it unchanged, and the emitted tokens are appended in one batched pass
/// (a final stop token, or the one that uses up the step's allowance, is left unevaluated as
/// ``DecodingStrategy`` permits).
///
/// Per step: drafter cost (see ``Drafter/costPerDraftToken``), one tree evaluation of the
/// drafted nodes (none for a plain step) and one append. ``statistics`` accumulates drafted and
/// accepted counts per depth and the time spent drafting and verifying.
///
/// The strategy shares its drafter (a class) with its copies; each step re-synchronizes the
/// drafter with the session, so copies stay correct, only slower when they interleave.
public struct SpeculativeStrategy: DecodingStrategy {
    /// The drafter proposing trees.
    public let drafter: any Drafter
    /// The tree drafted each step.
    public let tree: TreeShape
    /// Whether verification is greedy (temperature 0).
    public let isGreedy: Bool
    /// The chosen node count per step when the budget adapts (dynamic trees only).
    public private(set) var planner: TreeBudgetPlanner?
    /// What the steps so far drafted, accepted and cost.
    public private(set) var statistics = SpeculativeStatistics()
    /// Receives ``statistics`` after every step (for callers driving a copy, like `Generator`).
    public let collector: SpeculativeStatisticsCollector?

    private let vocabularySize: Int
    private let transform: ProbabilityTransform
    private let staticBuilder: StaticTreeBuilder?
    private let dynamicBuilder: DynamicTreeBuilder?
    private let seed: UInt64
    private var generator: Xoshiro256StarStar
    private let logger: Logger?

    /// A strategy with an explicit drafter.
    ///
    /// - Parameters:
    ///   - target: the model that is verified against (its vocabulary size is checked).
    ///   - drafter: the source of draft trees.
    ///   - tree: the tree shape; a dynamic tree's budget is the most nodes per step.
    ///   - adaptiveBudget: let ``TreeBudgetPlanner`` choose the node count per step from measured
    ///     costs (dynamic trees only; calibrated with a few tree evaluations on the first step).
    ///     Tree sizes then depend on timings, so a seed fixes the output *distribution*, not the tokens.
    ///   - planner: a planner to use instead (for example with known costs and
    ///     ``TreeBudgetPlanner/learnsFromSteps`` off, which makes adaptive runs reproducible);
    ///     implies an adaptive budget. Its ``TreeBudgetPlanner/maximumNodes`` caps the tree budget.
    ///   - sampling: the target's sampling parameters; their ``SamplingParameters/seed`` seeds
    ///     every random choice of drafting and verification.
    ///   - collector: receives the statistics after every step.
    ///   - logger: receives a debug line per step; nil stays silent.
    /// - Throws: ``SpeculativeError/vocabularyMismatch(target:draft:)``, the tree shape's and the
    ///   sampling parameters' validation errors.
    public init(target: any LanguageModel, drafter: any Drafter, tree: TreeShape, adaptiveBudget: Bool = false,
                planner: TreeBudgetPlanner? = nil, sampling: SamplingParameters,
                collector: SpeculativeStatisticsCollector? = nil, logger: Logger? = nil) throws {
        if let draftVocabulary = drafter.vocabularySize, draftVocabulary != target.vocabularySize {
            throw SpeculativeError.vocabularyMismatch(target: target.vocabularySize, draft: draftVocabulary)
        }
        let branching = try tree.validated()
        self.drafter = drafter
        self.tree = tree
        self.isGreedy = sampling.temperature == 0
        self.vocabularySize = target.vocabularySize
        self.transform = try ProbabilityTransform(parameters: sampling)
        self.staticBuilder = branching == nil ? nil : try StaticTreeBuilder(shape: tree)
        if case .dynamic(let budget, let depth) = tree {
            dynamicBuilder = try DynamicTreeBuilder(budget: budget, depth: depth)
            self.planner = try planner ?? (adaptiveBudget ? TreeBudgetPlanner(maximumNodes: budget) : nil)
        } else {
            dynamicBuilder = nil
        }
        self.seed = sampling.seed
        self.generator = Xoshiro256StarStar(seed: sampling.seed)
        self.collector = collector
        self.logger = logger
    }

    /// A strategy built from a configuration.
    ///
    /// - Parameters:
    ///   - draftModel: the draft model, required when `configuration.drafter` is `.model`.
    ///     It drafts with the target's sampling chain (at temperature 1 when decoding greedily, so
    ///     the tree still branches by the draft's preferences).
    ///   - collector: receives the statistics after every step.
    ///   - logger: receives a debug line per step; nil stays silent.
    /// - Throws: ``SpeculativeError/missingDraftModel``, the errors of
    ///   ``SpeculativeConfiguration/validate()`` and of the other initializer.
    public init(target: any LanguageModel, configuration: SpeculativeConfiguration,
                draftModel: (any LanguageModel)? = nil, collector: SpeculativeStatisticsCollector? = nil,
                logger: Logger? = nil) throws {
        try configuration.validate()
        let drafter: any Drafter
        switch configuration.drafter {
        case .ngram(let minimum, let maximum):
            drafter = try NGramDrafter(minimumOrder: minimum, maximumOrder: maximum)
        case .model:
            guard let draftModel else { throw SpeculativeError.missingDraftModel }
            var draftSampling = configuration.sampling
            if configuration.isGreedy { draftSampling.temperature = 1 }
            drafter = try ModelDrafter(model: draftModel, targetVocabularySize: target.vocabularySize,
                                       transform: ProbabilityTransform(parameters: draftSampling))
        }
        try self.init(target: target, drafter: drafter, tree: configuration.tree,
                      adaptiveBudget: configuration.adaptiveBudget, sampling: configuration.sampling,
                      collector: collector, logger: logger)
    }

    /// Drafts, verifies and emits the accepted tokens plus one (at most `remainingTokens`,
    /// stopping after a stop token).
    ///
    /// - Throws: ``SamplingError/vocabularyMismatch(expected:actual:)`` for a session of another
    ///   vocabulary, and the model's, drafter's and processors' errors.
    public mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        let model = context.model
        guard model.vocabularySize == vocabularySize, session.logits.count == vocabularySize else {
            throw SamplingError.vocabularyMismatch(expected: vocabularySize, actual: session.logits.count)
        }
        let history = session.tokens
        let draftStart = ContinuousClock.now
        try drafter.synchronize(context: history)
        let depthLimit = min(context.remainingTokens - 1, model.contextLength - session.count - 1)
        if var planner, !planner.isCalibrated, depthLimit > 0 {
            try planner.calibrate(model: model, session: session)
            self.planner = planner
        }
        let (draft, draftedPositions) = try buildTree(depthLimit: depthLimit)
        let draftSeconds = TreeBudgetPlanner.seconds(ContinuousClock.now - draftStart)

        let verifyStart = ContinuousClock.now
        let rows = draft.isEmpty ? [] : try model.evaluateTree(draft.tokenTree(), after: session)
        let treeSeconds = TreeBudgetPlanner.seconds(ContinuousClock.now - verifyStart)
        let current = session
        let target = { [transform] (slot: Int) throws -> [Double] in
            let logits = slot == 0 ? current.logits : rows[slot - 1]
            return try transform.probabilities(logits: logits, context: history + draft.pathTokens(to: slot - 1))
        }
        let verifier = TreeVerifier(vocabularySize: vocabularySize)
        let verification = isGreedy
            ? try verifier.verifyGreedy(draft, target: target)
            : try verifier.verify(draft, target: target, using: &generator)

        var emitted: [Int] = []
        for token in verification.tokens {
            emitted.append(token)
            if context.endsGeneration(token, emitted: emitted.count) { break }
        }
        let lastEvaluated = !context.endsGeneration(emitted[emitted.count - 1], emitted: emitted.count)
        let appended = lastEvaluated ? emitted : Array(emitted.dropLast())
        let appendStart = ContinuousClock.now
        if !appended.isEmpty { try session.append(appended) }
        let appendSeconds = TreeBudgetPlanner.seconds(ContinuousClock.now - appendStart)
        if planner != nil {
            if !draft.isEmpty { planner?.record(nodes: draft.count, seconds: treeSeconds) }
            if !appended.isEmpty { planner?.record(nodes: 0, seconds: appendSeconds) }
        }

        statistics.record(tree: draft, verification: verification, draftedPositions: draftedPositions, emitted: emitted.count)
        statistics.draftSeconds += draftSeconds
        statistics.verifySeconds += TreeBudgetPlanner.seconds(ContinuousClock.now - verifyStart)
        collector?.publish(statistics)
        logger?.debug("speculative step", metadata: [
            "drafted": "\(draft.count)", "accepted": "\(verification.acceptedNodes.count)", "emitted": "\(emitted.count)",
        ])
        let branching = (0...draft.count).contains { draft.children(ofSlot: $0).count > 1 }
        let stepStatistics = StepStatistics(
            steps: 1, modelCalls: (draft.isEmpty ? 0 : 1) + (appended.isEmpty ? 0 : 1),
            tokensEvaluated: draft.count + appended.count,
            discardedTokens: draft.count - verification.acceptedNodes.count,
            branchesTried: max(1, draft.count), branchingSteps: branching ? 1 : 0)
        return DecodingStep(tokens: emitted, lastTokenEvaluated: lastEvaluated, statistics: stepStatistics)
    }

    /// Starts a new sequence: statistics cleared, the generator reseeded.
    public mutating func reset() {
        statistics = SpeculativeStatistics()
        generator = Xoshiro256StarStar(seed: seed)
    }

    private mutating func buildTree(depthLimit: Int) throws -> (DraftTree, Int) {
        guard depthLimit > 0 else { return (DraftTree(), 0) }
        var draftGenerator: Xoshiro256StarStar? = isGreedy ? nil : Xoshiro256StarStar(seed: generator.next())
        if let staticBuilder {
            let built = try staticBuilder.build(drafter: drafter, vocabularySize: vocabularySize,
                                                depthLimit: depthLimit, rng: &draftGenerator)
            return (built.tree, built.draftedPositions)
        }
        guard let dynamicBuilder else { return (DraftTree(), 0) }
        let planner = self.planner
        let draftCost = drafter.costPerDraftToken
        var observations: [(nodes: Int, valueSum: Double, nextKey: Double)] = []
        let built = try dynamicBuilder.build(
            drafter: drafter, vocabularySize: vocabularySize, depthLimit: depthLimit, rng: &draftGenerator
        ) { nodes, valueSum, nextKey in
            guard let planner else { return true }
            observations.append((nodes, valueSum, nextKey))
            return planner.shouldGrow(nodes: nodes, valueSum: valueSum, nextKey: nextKey, draftSecondsPerNode: draftCost)
        }
        if self.planner != nil {
            self.planner?.learn(observations: observations, finalNodes: built.tree.count,
                                finalValueSum: built.tree.values.reduce(0, +))
        }
        return (built.tree, built.draftedPositions)
    }
}
