/// Builds a token tree with fixed branching per depth (a chain is branching 1 at every depth):
/// one batched drafter call per level, children drawn from each position's `q` without
/// replacement (fewer when `q` has smaller support).
///
/// - Complexity: `branching.count` drafter calls; O(children × support) to draw.
public struct StaticTreeBuilder: Sendable {
    /// Children per node at each depth; `branching[0]` is the root's.
    public let branching: [Int]

    /// A builder for `shape` (a chain or a static tree).
    ///
    /// - Throws: the errors of ``TreeShape/validated()``; ``SpeculativeError/invalidBudget(_:limit:)``
    ///   for a dynamic shape, which ``DynamicTreeBuilder`` builds.
    public init(shape: TreeShape) throws {
        guard let branching = try shape.validated() else {
            throw SpeculativeError.invalidBudget(shape.maximumNodes, limit: 0)
        }
        self.branching = branching
    }

    /// Drafts a tree after the drafter's synchronized context.
    ///
    /// - Parameters:
    ///   - drafter: the source of draft distributions (already synchronized).
    ///   - vocabularySize: the target's vocabulary; draft tokens must fall inside it.
    ///   - depthLimit: a further cap on depth (room left in the context window).
    ///   - rng: randomness for drawing children; nil drafts greedily (highest `q` first).
    /// - Returns: the tree and the number of positions the drafter was asked for.
    public func build<R: RandomNumberGenerator>(
        drafter: any Drafter, vocabularySize: Int, depthLimit: Int, rng: inout R?
    ) throws -> (tree: DraftTree, draftedPositions: Int) {
        var tree = DraftTree()
        let request = DraftRequest(vocabularySize: vocabularySize)
        var level = [0]
        var drafted = 0
        for width in branching.prefix(max(0, depthLimit)) where !level.isEmpty {
            drafted += try request.expand(level, in: &tree, drafter: drafter)
            var next: [Int] = []
            for slot in level {
                guard let distribution = tree.distribution(atSlot: slot) else { continue }
                var draw = ChildDraw(distribution, greedy: rng == nil)
                for _ in 0..<width {
                    guard let child = draw.next(using: &rng) else { break }
                    let node = tree.addChild(token: child.token, atSlot: slot, draftProbability: child.probability)
                    next.append(DraftTree.slot(after: node))
                }
            }
            level = next
        }
        return (tree, drafted)
    }
}
