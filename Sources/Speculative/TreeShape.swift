/// The shape of the token tree drafted at every step.
///
/// - ``chain(length:)``: `k` tokens, one after another (classic speculative decoding).
/// - ``staticTree(branching:)``: fixed branching per depth, e.g. `[4, 2, 2, 1, 1]` gives four
///   children of the root, two children of each of those, and so on (Sequoia/SpecInfer style).
/// - ``dynamic(budget:depth:)``: DySpec's greedy heap-built tree of at most `budget` nodes and
///   depth `depth` (Xiong et al. 2024), see ``DynamicTreeBuilder``.
public enum TreeShape: Sendable, Hashable {
    /// A chain of `length` tokens.
    case chain(length: Int)
    /// A tree with `branching[d]` children at every node of depth `d - 1` (the root's children
    /// are `branching[0]`).
    case staticTree(branching: [Int])
    /// A DySpec dynamic tree of at most `budget` nodes and `depth` levels.
    case dynamic(budget: Int, depth: Int)

    /// The most nodes any tree may have.
    public static let nodeLimit = 1024
    /// The deepest any tree may be.
    public static let depthLimit = 128
    /// The widest any static level may branch.
    public static let branchingLimit = 64

    /// Checks the parameters and returns the branching factors of a fixed shape (nil for
    /// dynamic trees).
    ///
    /// Budgets and depths `<= 0` or above ``nodeLimit`` / ``depthLimit`` are rejected, not clamped:
    /// such a value is a caller's mistake, and clamping would hide it.
    ///
    /// - Throws: ``SpeculativeError/invalidBudget(_:limit:)``, ``SpeculativeError/invalidDepth(_:limit:)``,
    ///   ``SpeculativeError/invalidBranching(_:depth:limit:)``, ``SpeculativeError/treeTooLarge(nodes:limit:)``.
    public func validated() throws -> [Int]? {
        switch self {
        case .chain(let length):
            guard (1...Self.depthLimit).contains(length) else {
                throw SpeculativeError.invalidDepth(length, limit: Self.depthLimit)
            }
            return Array(repeating: 1, count: length)
        case .staticTree(let branching):
            guard (1...Self.depthLimit).contains(branching.count) else {
                throw SpeculativeError.invalidDepth(branching.count, limit: Self.depthLimit)
            }
            var nodes = 0
            var level = 1
            for (depth, b) in branching.enumerated() {
                guard (1...Self.branchingLimit).contains(b) else {
                    throw SpeculativeError.invalidBranching(b, depth: depth, limit: Self.branchingLimit)
                }
                let (product, overflow) = level.multipliedReportingOverflow(by: b)
                guard !overflow, product <= Self.nodeLimit, nodes + product <= Self.nodeLimit else {
                    throw SpeculativeError.treeTooLarge(nodes: overflow ? Int.max : nodes + product, limit: Self.nodeLimit)
                }
                level = product
                nodes += product
            }
            return branching
        case .dynamic(let budget, let depth):
            guard (1...Self.nodeLimit).contains(budget) else {
                throw SpeculativeError.invalidBudget(budget, limit: Self.nodeLimit)
            }
            guard (1...Self.depthLimit).contains(depth) else {
                throw SpeculativeError.invalidDepth(depth, limit: Self.depthLimit)
            }
            return nil
        }
    }

    /// The most nodes a tree of this shape can have.
    public var maximumNodes: Int {
        switch self {
        case .chain(let length): return length
        case .staticTree(let branching):
            var level = 1
            var total = 0
            for b in branching {
                level = min(level &* b, Self.nodeLimit + 1)
                total = min(total + level, Self.nodeLimit + 1)
            }
            return total
        case .dynamic(let budget, _): return budget
        }
    }

    /// The deepest a tree of this shape can be.
    public var maximumDepth: Int {
        switch self {
        case .chain(let length): return length
        case .staticTree(let branching): return branching.count
        case .dynamic(_, let depth): return depth
        }
    }
}
