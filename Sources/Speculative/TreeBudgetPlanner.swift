import Decoding

/// Chooses how many draft nodes to verify per step on this hardware: the DySpec values estimate
/// how many tokens a tree of `B` nodes will yield, measured timings say what it costs, and the
/// planner grows the tree while the expected tokens per second can still improve.
///
/// Cost model: a plain step costs `c₀` (one token appended through the session's ordinary path);
/// a speculative step with `B` nodes costs `T(B + 1) + B · d`, with `T(n)` the target's
/// evaluation of a tree of `n` nodes (measured at sizes 1, 2, 4, …, interpolated between) — the
/// `B` draft nodes hang below the previous step's final token, which rides in the same
/// evaluation (``SpeculativeStrategy``), and the accepted nodes are committed by copying their
/// keys and values — and `d` the drafter's cost per position. Expected
/// yield: `1 + a · S` tokens with `S` the sum of the values of the nodes drafted so far and `a`
/// the ``acceptanceScale`` — accepted nodes per unit of value observed on earlier steps, which
/// corrects a drafter whose `q` is over- or under-confident.
///
/// Before each node is drawn — `m` nodes so far with values summing to `S`, and `k` the key of the
/// slot about to be drawn — the planner continues if some size `B' > m` promises a better rate:
/// `(1 + S + G(m, B')) / cost(B') > (1 + S) / cost(m)`. The forecast gain `G` comes from the
/// value curve of earlier steps (the mean value sum of their first `B` nodes), scaled by how this
/// step's key compares with earlier keys at `m`, and never above `(B' − m) · k` (DySpec values
/// only decrease). Beyond the largest size earlier steps reached, each further node is forecast
/// at the key seen there; with no history at all, at `k` — so the planner explores first. With poor drafts it settles at 0 nodes — plain
/// decoding; with good drafts it grows until the evaluation cost outruns the expected gain.
///
/// Every decision uses earlier steps and what was drawn before the node in question, never the
/// node itself: deciding after seeing a child (truncating the tree, or discarding it for a plain
/// step) would bias which children get verified and break losslessness.
///
/// Timings come from the plain steps themselves (`c₀`), from ``calibrate(model:session:)`` once
/// drafts first appear, and are refined with every measured step (``record(nodes:seconds:)``, an
/// exponential moving average per size).
public struct TreeBudgetPlanner: Sendable {
    /// The largest tree the planner may choose.
    public let maximumNodes: Int
    /// The evaluated tree sizes at which cost is tracked: 1, 2, 4, … up to ``maximumNodes`` + 1
    /// (the draft nodes plus the previous step's final token at the root).
    public let sizes: [Int]
    /// Seconds to evaluate a tree of `sizes[i]` nodes (nil until measured).
    public private(set) var treeSeconds: [Double?]
    /// Seconds of a plain one-token step (nil until measured).
    public private(set) var plainSeconds: Double?
    /// Whether ``record(nodes:seconds:)`` refines the timings. Turn it off to replay fixed costs:
    /// with refinement on, tree sizes (never the output distribution) depend on measured time,
    /// so a seed alone no longer fixes the tokens.
    public var learnsFromSteps = true
    /// `valueCurve[B]`: mean value sum of the first `B` nodes of earlier trees (nil: never reached).
    public private(set) var valueCurve: [Double?]
    /// `keyCurve[m]`: mean key of the slot drawn after `m` nodes in earlier trees.
    public private(set) var keyCurve: [Double?]

    /// A planner for trees of up to `maximumNodes` nodes, with no timings yet.
    ///
    /// - Throws: ``SpeculativeError/invalidBudget(_:limit:)`` outside `1...TreeShape.nodeLimit`.
    public init(maximumNodes: Int) throws {
        guard (1...TreeShape.nodeLimit).contains(maximumNodes) else {
            throw SpeculativeError.invalidBudget(maximumNodes, limit: TreeShape.nodeLimit)
        }
        self.maximumNodes = maximumNodes
        var sizes: [Int] = []
        var size = 1
        while size < maximumNodes + 1 {
            sizes.append(size)
            size *= 2
        }
        sizes.append(maximumNodes + 1)
        self.sizes = sizes
        treeSeconds = Array(repeating: nil, count: sizes.count)
        valueCurve = Array(repeating: nil, count: maximumNodes + 1)
        keyCurve = Array(repeating: nil, count: maximumNodes + 1)
    }

    /// A planner with known costs (tests, or timings saved from an earlier run).
    ///
    /// - Parameter treeSeconds: cost of a tree of `n` nodes, for each tracked size.
    public init(maximumNodes: Int, plainSeconds: Double, treeSeconds: (Int) -> Double, learnsFromSteps: Bool = true) throws {
        try self.init(maximumNodes: maximumNodes)
        self.learnsFromSteps = learnsFromSteps
        self.plainSeconds = plainSeconds
        self.treeSeconds = sizes.map { treeSeconds($0) }
    }

    /// Whether every size has a timing.
    public var isCalibrated: Bool { plainSeconds != nil && treeSeconds.allSatisfy { $0 != nil } }

    /// Times the target: one tree evaluation of a chain of `n` copies of the session's last token
    /// for each tracked size from 2 up to ``timedSizeLimit`` (the session is left unchanged), and
    /// a one-node evaluation as the plain step and `T(1)` unless plain steps already measured it.
    /// Larger sizes are extrapolated linearly from the two largest timed ones — cost grows about
    /// linearly once the batch is a few rows — and refined by ``record(nodes:seconds:)`` when
    /// steps use them, so calibrating costs a few plain steps, not a pass over every size.
    ///
    /// - Complexity: `2 + 4` evaluated tokens (plus 1 without a measured plain step), once.
    public mutating func calibrate(model: any LanguageModel, session: any ModelSession) throws {
        guard let last = session.tokens.last else { return }
        let room = model.contextLength - session.count
        func time(_ n: Int) throws -> Double {
            let tree = try TokenTree(tokens: Array(repeating: last, count: n), parents: (0..<n).map { $0 - 1 })
            let start = ContinuousClock.now
            _ = try model.evaluateTree(tree, after: session)
            return Self.seconds(ContinuousClock.now - start)
        }
        guard room >= 1 else { return }
        let plain = try plainSeconds ?? time(1)
        plainSeconds = plain
        for (i, size) in sizes.enumerated() where size <= room {
            if size > Self.timedSizeLimit, i >= 2, let previous = treeSeconds[i - 1], let before = treeSeconds[i - 2] {
                let slope = max(0, (previous - before) / Double(sizes[i - 1] - sizes[i - 2]))
                treeSeconds[i] = previous + slope * Double(size - sizes[i - 1])
            } else {
                treeSeconds[i] = i == 0 ? plain : try time(size)
            }
        }
    }

    /// The largest tree size ``calibrate(model:session:)`` times; larger ones are extrapolated.
    public static let timedSizeLimit = 4

    /// Folds a measured tree evaluation of `nodes` nodes (draft nodes plus the root it hangs
    /// below) into the estimate at the nearest tracked size at or above it (0 nodes: a plain,
    /// appended step).
    public mutating func record(nodes: Int, seconds: Double) {
        guard learnsFromSteps, seconds.isFinite, seconds >= 0 else { return }
        if nodes == 0 {
            plainSeconds = plainSeconds.map { 0.8 * $0 + 0.2 * seconds } ?? seconds
            return
        }
        guard let i = sizes.firstIndex(where: { $0 >= nodes }) else { return }
        // Scale the measurement to the tracked size (cost grows at most linearly).
        let scaled = seconds * Double(sizes[i]) / Double(nodes)
        let value = sizes[i] == nodes ? seconds : min(scaled, treeSeconds[i] ?? scaled)
        treeSeconds[i] = treeSeconds[i].map { 0.8 * $0 + 0.2 * value } ?? value
    }

    /// The estimated cost of a step with `nodes` draft nodes: `c₀` without any, else
    /// `T(nodes + 1) + nodes · d`.
    public func stepSeconds(nodes: Int, draftSecondsPerNode: Double) -> Double {
        guard nodes > 0 else { return plainSeconds ?? 0 }
        return treeCost(nodes + 1) + Double(nodes) * draftSecondsPerNode
    }

    /// Whether to draw one more node, given `nodes` drawn so far with values summing to
    /// `valueSum` and `nextKey` the estimated value of the next one (see the type's summary).
    /// Grows unconditionally until calibrated.
    public func shouldGrow(nodes: Int, valueSum: Double, nextKey: Double, draftSecondsPerNode: Double) -> Bool {
        guard nodes < maximumNodes else { return false }
        guard isCalibrated else { return true }
        let scale = acceptanceScale
        let current = (1 + scale * valueSum)
            / max(stepSeconds(nodes: nodes, draftSecondsPerNode: draftSecondsPerNode), .leastNormalMagnitude)
        for size in [nodes + 1] + sizes + [maximumNodes] where size > nodes && size <= maximumNodes {
            let gain = 1 + scale * (valueSum + forecast(from: nodes, to: size, nextKey: nextKey))
            let cost = stepSeconds(nodes: size, draftSecondsPerNode: draftSecondsPerNode)
            if gain / max(cost, .leastNormalMagnitude) > current { return true }
        }
        return false
    }

    /// The expected value of nodes `from + 1 ... to`: the learned curve up to the largest size
    /// seen (scaled by this step's key over the usual key at `from`), then the usual key there for
    /// every further node; at most `(to − from) · nextKey`.
    private func forecast(from nodes: Int, to size: Int, nextKey: Double) -> Double {
        let optimistic = Double(size - nodes) * nextKey
        guard let here = valueCurve[nodes], let typicalKey = keyCurve[nodes], typicalKey > 0 else { return optimistic }
        let scale = nextKey / typicalKey
        var known = size
        while known > nodes, valueCurve[known] == nil { known -= 1 }
        let seen = max(0, (valueCurve[known] ?? here) - here)
        let beyond = Double(size - known) * (keyCurve[known] ?? typicalKey)
        return min(optimistic, (seen + beyond) * scale)
    }

    /// Learns from one tree's growth: `observations[i]` is the (node count, value sum, next key)
    /// the builder reported before drawing node `i + 1`, and `finalValueSum` the tree's total
    /// after its last node (at `finalNodes`).
    public mutating func learn(observations: [(nodes: Int, valueSum: Double, nextKey: Double)],
                               finalNodes: Int, finalValueSum: Double) {
        func blend(_ old: Double?, _ new: Double) -> Double { old.map { 0.8 * $0 + 0.2 * new } ?? new }
        for observation in observations where observation.nodes <= maximumNodes {
            valueCurve[observation.nodes] = blend(valueCurve[observation.nodes], observation.valueSum)
            keyCurve[observation.nodes] = blend(keyCurve[observation.nodes], observation.nextKey)
        }
        if finalNodes <= maximumNodes, observations.last?.nodes != finalNodes {
            valueCurve[finalNodes] = blend(valueCurve[finalNodes], finalValueSum)
        }
    }

    /// How many tokens verification actually accepted per unit of DySpec value, over recent
    /// steps: the values are the drafter's own confidence (a prompt-lookup match says `q = 1` on
    /// chat text it rarely predicts), so the planner scales them by what verification observed.
    /// Starts at 1 from a prior of one step whose value was accepted in full, so one unlucky
    /// first tree does not drive it to 0 (which would stop drafting for good: without trees
    /// there are no further observations); within `0...2`.
    public var acceptanceScale: Double {
        guard predictedEMA > 0 else { return 1 }
        return min(2, max(0, acceptedEMA / predictedEMA))
    }

    private var predictedEMA = 1.0
    private var acceptedEMA = 1.0

    /// Folds one verified step into ``acceptanceScale``: its tree's value sum (the expected number
    /// of accepted nodes under `p ≈ q`) and the number of nodes verification accepted. Steps
    /// without a tree are ignored. Past outcomes only inform later trees, so losslessness holds.
    public mutating func observe(predictedValue: Double, accepted: Int) {
        guard predictedValue > 0, predictedValue.isFinite else { return }
        predictedEMA = 0.8 * predictedEMA + 0.2 * predictedValue
        acceptedEMA = 0.8 * acceptedEMA + 0.2 * Double(accepted)
    }

    /// Tree cost at `nodes`, linear between tracked sizes.
    private func treeCost(_ nodes: Int) -> Double {
        guard let upper = sizes.firstIndex(where: { $0 >= nodes }) else { return treeSeconds.last.flatMap { $0 } ?? 0 }
        let high = treeSeconds[upper] ?? 0
        guard upper > 0, sizes[upper] != nodes else { return high }
        let low = treeSeconds[upper - 1] ?? high
        let fraction = Double(nodes - sizes[upper - 1]) / Double(sizes[upper] - sizes[upper - 1])
        return low + fraction * (high - low)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
