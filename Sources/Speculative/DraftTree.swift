import Decoding

/// A token tree proposed by a drafter: for each node its token, its parent, the draft
/// distribution `q` it was drawn from, and DySpec's value estimate.
///
/// Positions are numbered by *slot*: slot 0 is the position after the session's last token
/// (the virtual root), slot `i + 1` is the position after node `i`. ``distribution(atSlot:)`` is
/// the distribution the children of that slot were drawn from, and ``children(ofSlot:)`` lists
/// them in the order they were drawn (without replacement) — the order lossless verification
/// must try them in.
///
/// Only draft-side quantities live here; the target model never shapes the tree.
public struct DraftTree: Sendable {
    /// The token at each node.
    public private(set) var tokens: [Int] = []
    /// The parent node of each node, `-1` for a child of the root.
    public private(set) var parents: [Int] = []
    /// The depth of each node: 0 for a child of the root.
    public private(set) var depths: [Int] = []
    /// DySpec's estimate of each node's acceptance probability: the product along its path of
    /// the draft probabilities `q(token | parent)`, each times the drafter's
    /// ``DraftDistribution/confidence`` at that position (1 unless the drafter says otherwise).
    public private(set) var values: [Double] = []
    private var childLists: [[Int]] = [[]]
    private var slotDistributions: [DraftDistribution?] = [nil]

    /// An empty tree (only the root slot, not yet expanded).
    public init() {}

    /// Number of nodes.
    public var count: Int { tokens.count }

    /// Whether the tree has no nodes.
    public var isEmpty: Bool { tokens.isEmpty }

    /// The slot of the position after `node` (`-1` → 0, the root).
    @inline(__always) public static func slot(after node: Int) -> Int { node + 1 }

    /// The nodes drawn at `slot`, in draw order.
    public func children(ofSlot slot: Int) -> [Int] { childLists[slot] }

    /// The distribution the children of `slot` were drawn from; nil while the slot is unexpanded.
    public func distribution(atSlot slot: Int) -> DraftDistribution? { slotDistributions[slot] }

    /// The value of `slot`'s position: 1 for the root, the node's value otherwise.
    public func value(ofSlot slot: Int) -> Double { slot == 0 ? 1 : values[slot - 1] }

    /// The value a child drawn at `slot` with draft probability 1 would have: the slot's value
    /// times the confidence of its distribution (1 while unexpanded).
    public func childValueScale(ofSlot slot: Int) -> Double {
        value(ofSlot: slot) * (slotDistributions[slot]?.confidence ?? 1)
    }

    /// The depth a child drawn at `slot` would have.
    public func childDepth(ofSlot slot: Int) -> Int { slot == 0 ? 0 : depths[slot - 1] + 1 }

    /// The tokens from the root down to `node`, inclusive (empty for `-1`).
    public func pathTokens(to node: Int) -> [Int] {
        var path: [Int] = []
        var current = node
        while current >= 0 {
            path.append(tokens[current])
            current = parents[current]
        }
        return path.reversed()
    }

    /// The maximal depth plus one (0 for an empty tree): the longest path's length.
    public var height: Int { (depths.max() ?? -1) + 1 }

    /// The tree in the form ``LanguageModel/evaluateTree(_:after:)`` takes.
    public func tokenTree() throws -> TokenTree {
        try TokenTree(tokens: tokens, parents: parents)
    }

    /// Records the distribution `slot`'s children are drawn from.
    mutating func setDistribution(_ distribution: DraftDistribution, atSlot slot: Int) {
        slotDistributions[slot] = distribution
    }

    /// Adds a node drawn at `slot` with probability `q` and returns its index; its value is
    /// ``childValueScale(ofSlot:)`` times `q`.
    @discardableResult
    mutating func addChild(token: Int, atSlot slot: Int, draftProbability q: Double) -> Int {
        let index = tokens.count
        tokens.append(token)
        parents.append(slot - 1)
        depths.append(childDepth(ofSlot: slot))
        values.append(childValueScale(ofSlot: slot) * q)
        childLists[slot].append(index)
        childLists.append([])
        slotDistributions.append(nil)
        return index
    }
}
