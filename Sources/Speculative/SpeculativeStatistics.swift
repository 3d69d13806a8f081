/// What speculative decoding did over a generation: how much was drafted, how much of it the
/// target accepted, where, and what it cost.
public struct SpeculativeStatistics: Sendable, Hashable {
    /// Decoding steps (one target tree evaluation each, or one plain step).
    public var steps = 0
    /// Steps that drafted nothing and sampled plainly (empty draft, no room, or the budget
    /// planner chose 0 nodes).
    public var plainSteps = 0
    /// Draft nodes proposed, over all steps.
    public var draftedNodes = 0
    /// Draft positions the drafter evaluated (expanded nodes and roots).
    public var draftedPositions = 0
    /// Draft tokens the target accepted, over all steps.
    public var acceptedTokens = 0
    /// Tokens emitted (accepted plus one corrected or bonus token per step, less truncation).
    public var emittedTokens = 0
    /// `acceptedPerStep[a]`: steps that accepted exactly `a` draft tokens.
    public var acceptedPerStep: [Int] = []
    /// `draftedAtDepth[d]`: drafted nodes at depth `d` (0 = children of the root).
    public var draftedAtDepth: [Int] = []
    /// `acceptedAtDepth[d]`: accepted nodes at depth `d`.
    public var acceptedAtDepth: [Int] = []
    /// Seconds spent drafting (synchronizing the drafter and building trees).
    public var draftSeconds = 0.0
    /// Seconds spent in the target: tree evaluation, verification and appending.
    public var verifySeconds = 0.0

    /// Empty statistics.
    public init() {}

    /// Mean accepted draft tokens per step.
    public var meanAcceptedPerStep: Double { steps == 0 ? 0 : Double(acceptedTokens) / Double(steps) }

    /// Accepted nodes over drafted nodes at each depth (nil where nothing was drafted).
    public var acceptanceByDepth: [Double?] {
        draftedAtDepth.indices.map { d in
            draftedAtDepth[d] == 0 ? nil : Double(acceptedAtDepth[safe: d]) / Double(draftedAtDepth[d])
        }
    }

    mutating func record(tree: DraftTree, verification: TreeVerification, draftedPositions: Int, emitted: Int) {
        steps += 1
        if tree.isEmpty { plainSteps += 1 }
        draftedNodes += tree.count
        self.draftedPositions += draftedPositions
        acceptedTokens += verification.acceptedNodes.count
        emittedTokens += emitted
        Self.increment(&acceptedPerStep, at: verification.acceptedNodes.count)
        for depth in tree.depths { Self.increment(&draftedAtDepth, at: depth) }
        for node in verification.acceptedNodes { Self.increment(&acceptedAtDepth, at: tree.depths[node]) }
    }

    private static func increment(_ counts: inout [Int], at index: Int) {
        if counts.count <= index { counts += Array(repeating: 0, count: index + 1 - counts.count) }
        counts[index] += 1
    }
}

extension Array where Element == Int {
    fileprivate subscript(safe index: Int) -> Int { index < count ? self[index] : 0 }
}
