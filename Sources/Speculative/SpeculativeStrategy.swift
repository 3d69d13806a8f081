import Decoding
import Logging

/// Speculative decoding as a ``DecodingStrategy``: each step drafts a token tree, evaluates it
/// with one target ``LanguageModel/evaluateTree(_:after:)`` call, verifies it losslessly
/// (``TreeVerifier``) and emits the accepted tokens plus one corrected or bonus token.
///
/// The output has exactly the distribution of plain sampling with the same processor chain
/// (greedy: the same tokens; a chain with a constraint's mask: locally constrained decoding's
/// distribution), whatever the drafter proposes; drafts only
/// change how many tokens a step yields. The session keeps only the accepted path: tree
/// evaluations leave it unchanged, and the accepted nodes are committed from the evaluation
/// (``Decoding/ModelSession/commitTreePath(_:of:)``: runtimes that keep the tree's keys and values
/// copy them, others re-evaluate).
///
/// One target call per step: the corrected or bonus token that ends a step is evaluated as the
/// root of the *next* step's draft tree (drafted right away from the context and fresh
/// randomness, as it would be at the start of that step), then committed, so the session holds
/// it evaluated as ``DecodingStrategy`` requires and the next step starts with its tree already
/// evaluated. Only the first step (or one after the session was changed from outside) evaluates
/// its tree separately. When the next tree is empty (no draft, or an adaptive budget of 0 nodes)
/// the token is appended through the session's ordinary ``Decoding/ModelSession/append(_:)``
/// instead, and the next step samples from ``Decoding/ModelSession/logits``: a plain step costs
/// what plain sampling's does. A final stop token, or the one that uses up the step's allowance, is
/// left unevaluated as ``DecodingStrategy`` permits.
///
/// Per step: drafter cost (see ``Drafter/costPerDraftToken``) and one tree evaluation of the
/// step's final token plus the next step's drafted nodes. ``statistics`` accumulates drafted and
/// accepted counts per depth and the time spent drafting and verifying (tree evaluations count
/// as verification).
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

    /// How a chain's constraint stages (``Decoding/LogitProcessor/restrictsTokens``) take part
    /// in verification.
    public enum ConstraintForm: Sendable, Hashable {
        /// Every verified position's target distribution is the full chain's, the constraint's
        /// mask included: locally constrained decoding's form.
        case mask
        /// Verification runs against the chain without its constraint stages; each emitted token
        /// is then checked against the constraint in order, and the first rejected one is
        /// redrawn from the same row without the tokens rejected so far, with a full mask after
        /// ``maximumRejections`` rejections (adaptive weighted rejection sampling's form). The
        /// verified tokens follow the unconstrained chain exactly, a rejected token is replaced
        /// by an exact draw from the constrained row, so the output is exactly
        /// `p(t | prefix) · 1[t allowed]` renormalized at every position.
        case rejection
    }

    /// Rejections of one position before the ``ConstraintForm/rejection`` form computes the
    /// full mask instead (AWRS's threshold).
    public static let maximumRejections = 64

    /// How the chain's constraint stages take part in verification.
    public let constraintForm: ConstraintForm
    /// A test of the target distribution at a position after the step's first: when it holds,
    /// the step ends before that position (the accepted tokens up to it are emitted, nothing
    /// from it). Stopping depends only on the emitted prefix, so the output distribution is
    /// unchanged; cautious prediction uses it to take every position whose entropy calls for
    /// trials itself (``Decoding/CautiousStrategy/plainSteps``). `nil`: never.
    public var stopsBefore: ((DraftDistribution) -> Bool)?
    /// The constraint stages that check emitted tokens (``ConstraintForm/rejection`` only).
    private var admission: LogitProcessorChain?
    /// The unconstrained stages then the constraint's, for a position whose draws were all
    /// rejected (``ConstraintForm/rejection`` only).
    private var fallbackChain: LogitProcessorChain?
    /// The drafter with its proposals pruned by the chain's restricting stages (a constraint),
    /// or ``drafter`` itself when the chain has none.
    private let proposer: any Drafter
    private let vocabularySize: Int
    /// The processors the target samples from, applied at every verified position. Kept from
    /// step to step (not copied per call) so a constraint stage follows the growing sequence
    /// with one advance per token.
    private var targetChain: LogitProcessorChain
    private let staticBuilder: StaticTreeBuilder?
    private let dynamicBuilder: DynamicTreeBuilder?
    private let seed: UInt64
    private var generator: Xoshiro256StarStar
    /// The row the target's processor chain runs on, reused from step to step.
    private var targetScratch: Logits?
    /// The next step's draft tree, already evaluated below the last step's final token.
    private var lookahead: Lookahead?

    /// A draft tree evaluated ahead of its step: `tree` is the previous step's final token (node 0)
    /// with `draft` below it, `rows[i]` the target's logits after node `i`, valid while the session
    /// holds exactly `sessionTokens`.
    private struct Lookahead {
        let sessionTokens: [Int]
        let draft: DraftTree
        let draftedPositions: Int
        let tree: TokenTree
        let rows: [[Float]]
    }
    private let logger: Logger?

    /// A strategy with an explicit drafter, verifying against a processor chain: the output has
    /// exactly the distribution of plain sampling from `chain` (``Decoding/SamplingStrategy``),
    /// greedy when the chain ends in temperature 0.
    ///
    /// A chain with a constraint stage (``Decoding/LogitProcessor/restrictsTokens``, for example a
    /// constraint's mask first) makes this constrained speculative decoding: every verified
    /// position's target distribution is the model's row masked by the constraint and
    /// renormalized (then the rest of the chain), so the output is exactly locally constrained
    /// decoding's; the drafts are pruned by the constraint before the target evaluates them.
    ///
    /// - Parameters:
    ///   - target: the model that is verified against (its vocabulary size is checked).
    ///   - drafter: the source of draft trees.
    ///   - tree: the tree shape; a dynamic tree's budget is the most nodes per step.
    ///   - adaptiveBudget: let ``TreeBudgetPlanner`` choose the node count per step from measured
    ///     costs (dynamic trees only; the cost model learns from the plain steps and the evaluated
    ///     trees themselves, starting from a conservative prior).
    ///     Tree sizes then depend on timings, so a seed fixes the output *distribution*, not the tokens.
    ///   - planner: a planner to use instead (for example with known costs and
    ///     ``TreeBudgetPlanner/learnsFromSteps`` off, which makes adaptive runs reproducible);
    ///     implies an adaptive budget. Its ``TreeBudgetPlanner/maximumNodes`` caps the tree budget.
    ///   - chain: the processors the target samples from (a constraint's mask, penalties,
    ///     truncation, temperature).
    ///   - constraintForm: how the chain's constraint stages are verified (``ConstraintForm``).
    ///   - seed: seeds every random choice of drafting and verification.
    ///   - logger: receives a debug line per step; nil stays silent.
    /// - Throws: ``SpeculativeError/vocabularyMismatch(target:draft:)`` and the tree shape's
    ///   validation errors.
    public init(target: any LanguageModel, drafter: any Drafter, tree: TreeShape, adaptiveBudget: Bool = false,
                planner: TreeBudgetPlanner? = nil, chain: LogitProcessorChain, constraintForm: ConstraintForm = .mask,
                seed: UInt64, logger: Logger? = nil) throws {
        if let draftVocabulary = drafter.vocabularySize, draftVocabulary != target.vocabularySize {
            throw SpeculativeError.vocabularyMismatch(target: target.vocabularySize, draft: draftVocabulary)
        }
        let branching = try tree.validated()
        self.drafter = drafter
        var stopTokens = target.specialTokens.endOfTurn
        if let eos = target.specialTokens.eos { stopTokens.insert(eos) }
        self.proposer = chain.restrictsTokens
            ? AdmittingDrafter(base: drafter, admission: chain.restrictingStages, stopTokens: stopTokens) : drafter
        self.tree = tree
        self.isGreedy = chain.selectsArgmax
        self.vocabularySize = target.vocabularySize
        self.constraintForm = chain.restrictsTokens ? constraintForm : .mask
        if self.constraintForm == .rejection {
            targetChain = chain.unrestrictedStages
            admission = chain.restrictingStages
            // Greedy takes the argmax of the masked row, so a stage that keeps only the argmax
            // (temperature 0) must not run before the mask.
            let ranking = chain.unrestrictedStages.processors.filter { !$0.selectsArgmax }
            fallbackChain = LogitProcessorChain(ranking + chain.restrictingStages.processors)
        } else {
            targetChain = chain
        }
        self.staticBuilder = branching == nil ? nil : try StaticTreeBuilder(shape: tree)
        if case .dynamic(let budget, let depth) = tree {
            dynamicBuilder = try DynamicTreeBuilder(budget: budget, depth: depth)
            self.planner = try planner ?? (adaptiveBudget ? TreeBudgetPlanner(maximumNodes: budget) : nil)
        } else {
            dynamicBuilder = nil
        }
        self.seed = seed
        self.generator = Xoshiro256StarStar(seed: seed)
        self.logger = logger
    }

    /// A strategy with an explicit drafter verifying against the chain of `sampling`
    /// (``Decoding/SamplingParameters/makeChain()``), seeded by its ``Decoding/SamplingParameters/seed``.
    ///
    /// - Throws: the errors of ``init(target:drafter:tree:adaptiveBudget:planner:chain:constraintForm:seed:logger:)``
    ///   and the sampling parameters' validation errors.
    public init(target: any LanguageModel, drafter: any Drafter, tree: TreeShape, adaptiveBudget: Bool = false,
                planner: TreeBudgetPlanner? = nil, sampling: SamplingParameters, logger: Logger? = nil) throws {
        try self.init(target: target, drafter: drafter, tree: tree, adaptiveBudget: adaptiveBudget, planner: planner,
                      chain: sampling.makeChain(), seed: sampling.seed, logger: logger)
    }

    /// A strategy built from a configuration.
    ///
    /// - Parameters:
    ///   - draftModel: the draft model, required when `configuration.drafter` is `.model`.
    ///     It drafts with the target's sampling chain (at temperature 1 when decoding greedily, so
    ///     the tree still branches by the draft's preferences).
    ///   - logger: receives a debug line per step; nil stays silent.
    /// - Throws: ``SpeculativeError/missingDraftModel``, the errors of
    ///   ``SpeculativeConfiguration/validate()`` and of the other initializer.
    public init(target: any LanguageModel, configuration: SpeculativeConfiguration,
                draftModel: (any LanguageModel)? = nil, logger: Logger? = nil) throws {
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
                      adaptiveBudget: configuration.adaptiveBudget, sampling: configuration.sampling, logger: logger)
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
        var draftSeconds = 0.0
        var modelCalls = 0
        var evaluatedNodes = 0
        // The draft tree and the target's rows after its nodes: evaluated by the previous step
        // below its bonus token (`offset` 1: draft node `i` is node `i + 1` of `evaluated`), or
        // drafted and evaluated now (`offset` 0).
        let draft: DraftTree, draftedPositions: Int, evaluated: TokenTree, rows: [[Float]], offset: Int
        if let ahead = lookahead.take(), ahead.sessionTokens == history {
            (draft, draftedPositions, evaluated, rows, offset) = (ahead.draft, ahead.draftedPositions, ahead.tree, ahead.rows, 1)
        } else {
            let draftStart = ContinuousClock.now
            try proposer.synchronize(context: history)
            let depthLimit = min(context.remainingTokens - 1, model.contextLength - session.count - 1)
            (draft, draftedPositions) = try buildTree(depthLimit: depthLimit)
            draftSeconds += TreeBudgetPlanner.seconds(ContinuousClock.now - draftStart)
            let treeStart = ContinuousClock.now
            evaluated = try draft.tokenTree()
            rows = draft.isEmpty ? [] : try model.evaluateTree(evaluated, after: session)
            offset = 0
            if !draft.isEmpty {
                planner?.record(nodes: draft.count, seconds: TreeBudgetPlanner.seconds(ContinuousClock.now - treeStart))
                modelCalls += 1
                evaluatedNodes += draft.count
            }
        }

        let verifyStart = ContinuousClock.now
        let current = session
        var scratch = targetScratch.take()
        var chain = targetChain
        // The distributions the walk saw, kept for ``stopsBefore`` (only when it is set).
        var visited: [Int: DraftDistribution] = [:]
        let keepsVisited = stopsBefore != nil
        let endsAtStop = proposer is AdmittingDrafter
        let target = { (slot: Int) throws -> DraftDistribution in
            if let known = visited[slot] { return known }
            // After a stop token nothing is emitted and a constraint has no state: the walk's
            // draw there is dropped, so it draws the stop token again instead of masking.
            if endsAtStop, slot > 0, model.specialTokens.isStop(draft.tokens[slot - 1]) {
                return DraftDistribution(uncheckedTokens: [draft.tokens[slot - 1]], probabilities: [1])
            }
            let logits = slot == 0 ? current.logits : rows[slot - 1 + offset]
            let context = slot == 0 ? history : history + draft.pathTokens(to: slot - 1)
            let distribution = try ProbabilityTransform.distribution(logits: logits, context: context, chain: &chain,
                                                                     scratch: &scratch)
            if keepsVisited { visited[slot] = distribution }
            return distribution
        }
        let verifier = TreeVerifier(vocabularySize: vocabularySize)
        var verification: TreeVerification
        if isGreedy, draft.isEmpty {
            // A plain greedy step: the argmax, as plain decoding computes it.
            verification = TreeVerification()
            verification.tokens = [try ProbabilityTransform.greedyToken(logits: current.logits, context: history,
                                                                         chain: &chain, scratch: &scratch)]
        } else {
            verification = isGreedy
                ? try verifier.verifyGreedy(draft, targetDistribution: target)
                : try verifier.verify(draft, targetDistribution: target, using: &generator)
        }
        targetChain = chain
        if constraintForm == .rejection {
            verification = try screen(verification, history: history, row: { slot in
                slot == 0 ? current.logits : rows[slot - 1 + offset]
            }, isStop: model.specialTokens.isStop, scratch: &scratch)
        }
        if let stopsBefore {
            // The first position after the first whose distribution asks to stop ends the step
            // before it (positions 1…accepted have their target row from the walk).
            for position in 1..<max(1, min(verification.tokens.count, verification.acceptedNodes.count + 1)) {
                let slot = DraftTree.slot(after: verification.acceptedNodes[position - 1])
                guard stopsBefore(try target(slot)) else { continue }
                verification.tokens.removeLast(verification.tokens.count - position)
                verification.acceptedNodes.removeLast(verification.acceptedNodes.count - position)
                break
            }
        }
        targetScratch = scratch
        if !draft.isEmpty { planner?.observe(predictedValue: draft.values.reduce(0, +), accepted: verification.acceptedNodes.count) }

        var emitted: [Int] = []
        for token in verification.tokens {
            emitted.append(token)
            if context.endsGeneration(token, emitted: emitted.count) { break }
        }
        let lastEvaluated = !context.endsGeneration(emitted[emitted.count - 1], emitted: emitted.count)
        let appendedCount = lastEvaluated ? emitted.count : emitted.count - 1
        // The accepted nodes were evaluated with the tree: commit their keys and values.
        let committed = verification.acceptedNodes.prefix(appendedCount).map { $0 + offset }
        if !committed.isEmpty { try session.commitTreePath(committed, of: evaluated) }
        statistics.verifySeconds += TreeBudgetPlanner.seconds(ContinuousClock.now - verifyStart)
        if committed.count < appendedCount {
            // The corrected or bonus token: evaluated together with the next step's draft tree.
            let ahead = try evaluateAhead(emitted[committed.count], session: &session,
                                          remainingTokens: context.remainingTokens - emitted.count, model: model)
            draftSeconds += ahead.draftSeconds
            modelCalls += 1
            evaluatedNodes += ahead.tree.count
        }

        statistics.record(tree: draft, verification: verification, draftedPositions: draftedPositions, emitted: emitted.count)
        statistics.draftSeconds += draftSeconds
        logger?.debug("speculative step", metadata: [
            "drafted": "\(draft.count)", "accepted": "\(verification.acceptedNodes.count)", "emitted": "\(emitted.count)",
        ])
        let branching = (0...draft.count).contains { draft.children(ofSlot: $0).count > 1 }
        let stepStatistics = StepStatistics(
            steps: 1, modelCalls: modelCalls, tokensEvaluated: evaluatedNodes,
            discardedTokens: draft.count - verification.acceptedNodes.count,
            branchesTried: max(1, draft.count), branchingSteps: branching ? 1 : 0)
        return DecodingStep(tokens: emitted, lastTokenEvaluated: lastEvaluated, statistics: stepStatistics)
    }

    /// Drafts the next step's tree after `token`, evaluates `token` with that tree below it in one
    /// target call, commits `token` from it (so the session holds it evaluated, as the step must
    /// leave it) and keeps the rest for the next step. Drafting uses only the context and fresh
    /// randomness, exactly as it would at the start of the next step, so the output distribution
    /// is unchanged; the next step only skips its own tree evaluation.
    private mutating func evaluateAhead(_ token: Int, session: inout any ModelSession, remainingTokens: Int,
                                        model: any LanguageModel) throws -> (tree: TokenTree, draftSeconds: Double) {
        let draftStart = ContinuousClock.now
        let context = session.tokens + [token]
        try proposer.synchronize(context: context)
        let depthLimit = min(remainingTokens - 1, model.contextLength - context.count - 1)
        let (next, positions) = try buildTree(depthLimit: depthLimit)
        let draftSeconds = TreeBudgetPlanner.seconds(ContinuousClock.now - draftStart)
        let evaluateStart = ContinuousClock.now
        let tree = try TokenTree(tokens: [token] + next.tokens, parents: [-1] + next.parents.map { $0 + 1 })
        let rows: [[Float]]
        if next.isEmpty {
            // No draft: a plain step, through the session's ordinary append (no tree capture,
            // no logits rows copied out); the next step reads `session.logits`.
            try session.append([token])
            rows = []
        } else {
            rows = try model.evaluateTree(tree, after: session)
            try session.commitTreePath([0], of: tree)
        }
        let evaluateSeconds = TreeBudgetPlanner.seconds(ContinuousClock.now - evaluateStart)
        planner?.record(nodes: next.isEmpty ? 0 : tree.count, seconds: evaluateSeconds)
        statistics.verifySeconds += evaluateSeconds
        lookahead = Lookahead(sessionTokens: session.tokens, draft: next, draftedPositions: positions, tree: tree, rows: rows)
        return (tree, draftSeconds)
    }

    /// The ``ConstraintForm/rejection`` check: the emitted tokens up to the first one the
    /// constraint rejects, that one redrawn from its row (`row(slot)`) without the rejected
    /// tokens, or from the fully masked row after ``maximumRejections`` rejections.
    private mutating func screen(_ verification: TreeVerification, history: [Int], row: (_ slot: Int) -> [Float],
                                 isStop: (Int) -> Bool, scratch: inout Logits?) throws -> TreeVerification {
        guard var admission = admission.take() else { return verification }
        defer { self.admission = admission }
        var context = history
        for (position, token) in verification.tokens.enumerated() {
            if try admission.admits(token, after: context) {
                // Nothing after an admitted stop token is emitted (or has a constraint state).
                if isStop(token) {
                    var ended = verification
                    ended.tokens.removeLast(ended.tokens.count - position - 1)
                    ended.acceptedNodes.removeLast(max(0, ended.acceptedNodes.count - position - 1))
                    return ended
                }
                context.append(token)
                continue
            }
            let slot = position == 0 ? 0 : DraftTree.slot(after: verification.acceptedNodes[position - 1])
            var screened = TreeVerification()
            screened.acceptedNodes = Array(verification.acceptedNodes.prefix(position))
            screened.tokens = Array(verification.tokens.prefix(position))
            screened.tokens.append(try redraw(rejecting: token, row: row(slot), context: context, admission: &admission,
                                              scratch: &scratch))
            return screened
        }
        return verification
    }

    /// A token from `row` after the unconstrained chain, conditioned on the constraint: draws
    /// without the tokens rejected so far until one is admitted (the first draw, `rejected`, was
    /// the verification's), then the fully masked row after ``maximumRejections``.
    private mutating func redraw(rejecting rejected: Int, row: [Float], context: [Int], admission: inout LogitProcessorChain,
                                 scratch: inout Logits?) throws -> Int {
        if !isGreedy {
            let p = try ProbabilityTransform.distribution(logits: row, context: context, chain: &targetChain, scratch: &scratch)
            var weights = p.probabilities
            if let index = p.index(of: rejected) { weights[index] = 0 }
            var rejections = 1
            while rejections < Self.maximumRejections {
                let total = weights.reduce(0, +)
                guard total > 0 else { break }
                var u = Double.random(in: 0..<total, using: &generator)
                var chosen = weights.lastIndex { $0 > 0 } ?? 0
                for (index, w) in weights.enumerated() where w > 0 {
                    if u < w { chosen = index; break }
                    u -= w
                }
                if try admission.admits(p.tokens[chosen], after: context) { return p.tokens[chosen] }
                weights[chosen] = 0
                rejections += 1
            }
        }
        guard var fallback = fallbackChain.take() else { preconditionFailure("the rejection form keeps a fallback chain") }
        defer { fallbackChain = fallback }
        if isGreedy {
            return try ProbabilityTransform.greedyToken(logits: row, context: context, chain: &fallback, scratch: &scratch)
        }
        let masked = try ProbabilityTransform.distribution(logits: row, context: context, chain: &fallback, scratch: &scratch)
        var u = Double.random(in: 0..<1, using: &generator)
        for (index, w) in masked.probabilities.enumerated() {
            if u < w { return masked.tokens[index] }
            u -= w
        }
        return masked.tokens[masked.tokens.count - 1]
    }

    /// Starts a new sequence: statistics cleared, the generator reseeded.
    public mutating func reset() {
        statistics = SpeculativeStatistics()
        lookahead = nil
        generator = Xoshiro256StarStar(seed: seed)
    }

    private mutating func buildTree(depthLimit: Int) throws -> (DraftTree, Int) {
        guard depthLimit > 0 else { return (DraftTree(), 0) }
        var draftGenerator: Xoshiro256StarStar? = isGreedy ? nil : Xoshiro256StarStar(seed: generator.next())
        if let staticBuilder {
            let built = try staticBuilder.build(drafter: proposer, vocabularySize: vocabularySize,
                                                depthLimit: depthLimit, rng: &draftGenerator)
            return (built.tree, built.draftedPositions)
        }
        guard let dynamicBuilder else { return (DraftTree(), 0) }
        let planner = self.planner
        let draftCost = proposer.costPerDraftToken
        var observations: [(nodes: Int, valueSum: Double, nextKey: Double)] = []
        let built = try dynamicBuilder.build(
            drafter: proposer, vocabularySize: vocabularySize, depthLimit: depthLimit, rng: &draftGenerator
        ) { nodes, valueSum, nextKey in
            guard let planner else { return true }
            // The builder may ask with an upper bound of a slot's key first; keep the last
            // (exact) key seen at each node count.
            if observations.last?.nodes == nodes { observations.removeLast() }
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
