import Decoding

/// Drafting with a (smaller) language model over the target's vocabulary: `q` is the draft
/// model's next-token distribution after the same ``ProbabilityTransform`` as the target.
///
/// The drafter keeps one session that follows the committed context (rolled back and extended
/// as tokens are accepted). A batch of positions is evaluated with one
/// ``LanguageModel/evaluateTree(_:after:)`` call over the union of their paths, which leaves the
/// session unchanged; positions right after the context read the session's logits for free.
/// Positions beyond the draft model's context window get an empty distribution.
public final class ModelDrafter: Drafter {
    /// The draft model.
    public let model: any LanguageModel
    /// Logits → probabilities (the target's processor chain).
    public let transform: ProbabilityTransform
    private var session: (any ModelSession)?
    private var context: [Int] = []
    /// Whether `session` holds `context` (see ``synchronize(context:)``).
    private var isSynchronized = true
    private var meter = CostMeter()
    /// The row the processor chain runs on, reused between calls.
    private var scratch: Logits?

    /// The draft model's vocabulary.
    public var vocabularySize: Int? { model.vocabularySize }

    /// Measured seconds per drafted position (model calls and the transform).
    public var costPerDraftToken: Double { meter.secondsPerUnit }

    /// Creates a drafter for a target of `targetVocabularySize` tokens.
    ///
    /// - Throws: ``SpeculativeError/vocabularyMismatch(target:draft:)`` when the draft model's
    ///   vocabulary has a different size: its token ids would mean different strings.
    public init(model: any LanguageModel, targetVocabularySize: Int, transform: ProbabilityTransform) throws {
        guard model.vocabularySize == targetVocabularySize else {
            throw SpeculativeError.vocabularyMismatch(target: targetVocabularySize, draft: model.vocabularySize)
        }
        self.model = model
        self.transform = transform
    }

    /// Records the context. The draft session catches up (rolled back to the longest common
    /// prefix, the rest appended in one batched pass, a new session when nothing is shared) on
    /// the next ``draftDistributions(after:)``, so a step that drafts nothing — a budget planner's
    /// plain step — costs the draft model nothing.
    public func synchronize(context newContext: [Int]) throws {
        context = newContext
        isSynchronized = false
    }

    private func catchUp() throws {
        guard !isSynchronized else { return }
        isSynchronized = true
        let newContext = context
        let start = ContinuousClock.now
        let previous = session?.count ?? 0
        defer { meter.record(ContinuousClock.now - start, units: max(0, newContext.count - previous)) }
        guard newContext.count < model.contextLength else {
            // No room left to draft: propose nothing (the decoder falls back to plain steps).
            session = nil
            return
        }
        guard let session else {
            self.session = try model.makeSession(prompt: newContext)
            return
        }
        let old = session.tokens
        var common = 0
        while common < min(old.count, newContext.count), old[common] == newContext[common] { common += 1 }
        if common == 0 {
            self.session = try model.makeSession(prompt: newContext)
            return
        }
        if common < old.count { try session.rollback(to: common) }
        if common < newContext.count { try session.append(Array(newContext[common...])) }
    }

    /// The draft distributions after `context + paths[i]`, from one tree evaluation.
    public func draftDistributions(after paths: [[Int]]) throws -> [DraftDistribution] {
        try catchUp()
        guard let session else { return paths.map { _ in .empty } }
        let start = ContinuousClock.now
        // Union of the paths as a trie; node ids in creation order keep parents first.
        var tokens: [Int] = []
        var parents: [Int] = []
        var childIndex: [Int: [Int: Int]] = [:]
        var endNodes: [Int] = []
        let room = model.contextLength - session.count
        for path in paths {
            var node = -1
            guard path.count <= room else {
                endNodes.append(Int.min)
                continue
            }
            for token in path {
                if let existing = childIndex[node]?[token] {
                    node = existing
                } else {
                    tokens.append(token)
                    parents.append(node)
                    childIndex[node, default: [:]][token] = tokens.count - 1
                    node = tokens.count - 1
                }
            }
            endNodes.append(node)
        }
        let rows = tokens.isEmpty ? [] : try model.evaluateTree(TokenTree(tokens: tokens, parents: parents), after: session)
        var scratch = self.scratch.take()
        let result = try zip(paths, endNodes).map { path, node -> DraftDistribution in
            guard node != Int.min else { return .empty }
            let logits = node < 0 ? session.logits : rows[node]
            return try transform.distribution(logits: logits, context: context + path, scratch: &scratch)
        }
        self.scratch = scratch
        meter.record(ContinuousClock.now - start, units: paths.count)
        return result
    }
}
