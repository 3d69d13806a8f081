/// DySpec's dynamic token tree (Xiong et al. 2024, "DySpec: Faster Speculative Decoding with
/// Dynamic Token Tree Structure"): grow the tree one node at a time, always where the estimated
/// acceptance is highest.
///
/// Every node has a *value*, the product of draft probabilities `q(token | parent)` along its
/// path — the paper's estimate of the probability that verification reaches and accepts it —
/// each factor scaled by the drafter's ``DraftDistribution/confidence`` in that position (an
/// n-gram drafter's `q = 1` after one earlier occurrence is not a certainty). A
/// max-heap holds *expansion slots*: "draw the next child of position `s`", keyed by the value the
/// child is expected to have:
///
/// - a node's first-child slot: `value(node) × confidence × max q(· | node)`;
/// - a position's next-sibling slot: `value(position) × confidence × (1 − Σ q of the children already drawn)`,
///   the chance under `p ≈ q` that the target's token is among the undrawn ones (greedy drafting
///   knows the next sibling, so there the key is its exact value `value(position) × q(next)`).
///
/// Each step pops the best slot, draws the next child of that position from `q` without
/// replacement (sequential draws, which have the law of Gumbel-top-k order; see `ChildDraw`), adds it, and pushes the child's first-child
/// slot and the position's next-sibling slot. It stops at `budget` nodes or when the heap
/// empties; nodes at the depth cap get no first-child slot.
///
/// **Why greedy is optimal (the paper's Theorem).** Assume a node's acceptance probability is its
/// value (and, for the argument, that keys are the values of the nodes they will produce, as they
/// are exactly when drafting greedily). A child's value is its parent's value times a probability, so it never exceeds the
/// parent's. Then among all sets of `B` nodes the `B` largest values already form a tree — every
/// node's parent has at least its value and is in the set — so the best tree of `B` nodes is the
/// top `B` nodes. A best-first search that always expands the largest frontier key visits nodes in
/// non-increasing value order, so after `B` pops it holds exactly those `B` nodes. The expected
/// number of accepted tokens, the sum of the values, is therefore maximal for the budget.
///
/// **Batching.** The first-child key needs the child's distribution, i.e. a draft step. Instead of
/// one drafter call per node, a new node's slot enters the heap with the upper bound
/// `value(node)` (since `confidence · max q ≤ 1`) and is marked pending; when such a slot reaches the top,
/// *every* pending node is expanded in one batched drafter call and its slot re-enters with the
/// exact key. An exact key popped from the top is at least every other key's upper bound, so the
/// tree is the same as with eager expansion, in fewer drafter calls. Exact greedy order is
/// inherently sequential — whether a node is worth expanding depends on its own distribution —
/// so on small vocabularies the builder still makes roughly one call per two or three nodes;
/// static trees (``StaticTreeBuilder``) make exactly one call per level.
///
/// **Losslessness.** Whether a position gets another child is decided before that child is
/// drawn, from what was drawn earlier; so given the children drawn so far, the next one is
/// distributed as `q` without them, which is all tree verification needs. (For the same reason
/// the tree is never truncated after the fact: a cut that looked at a child's value would bias it.)
public struct DynamicTreeBuilder: Sendable {
    /// The most nodes to draft.
    public let budget: Int
    /// The most levels to draft.
    public let depth: Int

    /// A builder for `budget` nodes and `depth` levels.
    ///
    /// - Throws: ``SpeculativeError/invalidBudget(_:limit:)`` or ``SpeculativeError/invalidDepth(_:limit:)``
    ///   outside `1...TreeShape.nodeLimit` and `1...TreeShape.depthLimit`.
    public init(budget: Int, depth: Int) throws {
        _ = try TreeShape.dynamic(budget: budget, depth: depth).validated()
        self.budget = budget
        self.depth = depth
    }

    /// Drafts a tree after the drafter's synchronized context.
    ///
    /// - Parameters:
    ///   - drafter: the source of draft distributions (already synchronized).
    ///   - vocabularySize: the target's vocabulary; draft tokens must fall inside it.
    ///   - depthLimit: a further cap on depth (room left in the context window).
    ///   - rng: randomness for drawing children; nil drafts greedily (highest `q` first).
    ///   - shouldGrow: asked before each node is drawn (and before a draft call, with an upper
    ///     bound of the key; it must not grow for a smaller key when it refuses a larger one) with the node count so far, the sum of
    ///     their values and the key of the slot about to be drawn; returning false stops the tree
    ///     there (the hardware-aware budget, ``TreeBudgetPlanner``). The decision must not depend on
    ///     the child about to be drawn, and cannot: it has not been drawn yet.
    /// - Returns: the tree and the number of positions the drafter was asked for.
    public func build<R: RandomNumberGenerator>(
        drafter: any Drafter, vocabularySize: Int, depthLimit: Int, rng: inout R?,
        shouldGrow: (_ nodes: Int, _ valueSum: Double, _ nextKey: Double) -> Bool = { _, _, _ in true }
    ) throws -> (tree: DraftTree, draftedPositions: Int) {
        let depthCap = min(depth, depthLimit)
        var tree = DraftTree()
        guard depthCap > 0 else { return (tree, 0) }
        let request = DraftRequest(vocabularySize: vocabularySize)
        var heap = SlotHeap()
        var draws: [ChildDraw?] = [nil]
        var pending: [Int] = [0]
        var drafted = 0
        var valueSum = 0.0
        heap.push(key: 1, slot: 0, exact: false)

        while tree.count < budget, let top = heap.pop() {
            guard top.exact else {
                // The slot's key is an upper bound of its exact key, and the growth rule is
                // monotone in the key: if even the bound does not justify a node, the exact key
                // would not either, so stop before paying for the draft call (a planner's plain
                // step then costs the drafter nothing).
                guard shouldGrow(tree.count, valueSum, top.key) else { break }
                if draws[top.slot] == nil {
                    drafted += try request.expand(pending, in: &tree, drafter: drafter)
                    for slot in pending {
                        guard let distribution = tree.distribution(atSlot: slot) else { continue }
                        draws[slot] = ChildDraw(distribution, greedy: rng == nil)
                    }
                    pending.removeAll(keepingCapacity: true)
                }
                if let distribution = tree.distribution(atSlot: top.slot), !distribution.isEmpty {
                    heap.push(key: tree.childValueScale(ofSlot: top.slot) * distribution.maximum, slot: top.slot, exact: true)
                }
                continue
            }
            guard shouldGrow(tree.count, valueSum, top.key) else { break }
            guard let child = draws[top.slot]?.next(using: &rng) else { continue }
            let node = tree.addChild(token: child.token, atSlot: top.slot, draftProbability: child.probability)
            valueSum += tree.values[node]
            draws.append(nil)
            if tree.depths[node] + 1 < depthCap {
                pending.append(DraftTree.slot(after: node))
                heap.push(key: tree.values[node], slot: DraftTree.slot(after: node), exact: false)
            }
            if let draw = draws[top.slot], !draw.isExhausted, draw.nextSlotWeight > 0 {
                heap.push(key: tree.childValueScale(ofSlot: top.slot) * draw.nextSlotWeight, slot: top.slot, exact: true)
            }
        }
        return (tree, drafted)
    }
}

/// A binary max-heap of expansion slots; ties go to the slot pushed first, so builds are
/// deterministic.
struct SlotHeap {
    struct Entry {
        var key: Double
        var order: Int
        var slot: Int
        var exact: Bool
    }

    private var entries: [Entry] = []
    private var pushed = 0

    var isEmpty: Bool { entries.isEmpty }

    private func above(_ a: Entry, _ b: Entry) -> Bool {
        a.key > b.key || (a.key == b.key && a.order < b.order)
    }

    mutating func push(key: Double, slot: Int, exact: Bool) {
        entries.append(Entry(key: key, order: pushed, slot: slot, exact: exact))
        pushed += 1
        var i = entries.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard above(entries[i], entries[parent]) else { break }
            entries.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let top = entries.first else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var best = i
                if l < entries.count, above(entries[l], entries[best]) { best = l }
                if r < entries.count, above(entries[r], entries[best]) { best = r }
                if best == i { break }
                entries.swapAt(i, best)
                i = best
            }
        }
        return top
    }
}
