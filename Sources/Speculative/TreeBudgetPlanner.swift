import Decoding

/// Chooses how many draft nodes to verify per step on this hardware: the DySpec values estimate
/// how many tokens a tree of `B` nodes will yield, measured timings say what it costs, and the
/// planner grows the tree while the expected tokens per second can still improve.
///
/// Cost model: a plain step costs `c₀` (one token appended through the session's ordinary path);
/// a speculative step with `B` draft nodes costs `T(B + 1) + B · d`, with `T(B + 1) = c₀ · (1 + κ · B)`
/// the target's evaluation of the `B` nodes below the previous step's final token, which rides in
/// the same evaluation (``SpeculativeStrategy``), and `d` the drafter's cost per position. The
/// relative slope `κ` (extra cost of a tree node as a share of a plain step) starts at the
/// conservative prior ``priorRelativeSlope`` and is learned from every evaluated tree's own timing
/// (``record(nodes:seconds:)``), so there is no separate calibration: the first trees are judged
/// by the prior, later ones by what trees cost on this machine. `c₀` comes from the plain steps;
/// until one has been timed the planner drafts nothing. Expected yield: `1 + a · S` tokens with `S`
/// the sum of the values of the nodes drafted so far and `a` the ``acceptanceScale`` — accepted
/// nodes per unit of value observed on earlier steps, which corrects a drafter whose values are
/// over- or under-confident.
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
public struct TreeBudgetPlanner: Sendable {
    /// The largest tree the planner may choose.
    public let maximumNodes: Int
    /// Seconds of a plain one-token step (nil until measured).
    public private(set) var plainSeconds: Double?
    /// `κ`: the extra cost of one draft node in a tree evaluation, as a share of a plain step.
    public private(set) var relativeSlope: Double
    /// Whether ``record(nodes:seconds:)`` refines the timings. Turn it off to replay fixed costs:
    /// with refinement on, tree sizes (never the output distribution) depend on measured time,
    /// so a seed alone no longer fixes the tokens.
    public var learnsFromSteps = true
    /// `valueCurve[B]`: mean value sum of the first `B` nodes of earlier trees (nil: never reached).
    public private(set) var valueCurve: [Double?]
    /// `keyCurve[m]`: mean key of the slot drawn after `m` nodes in earlier trees.
    public private(set) var keyCurve: [Double?]

    /// The slope assumed before any tree was timed: a draft node costs half a plain step. On the
    /// default model and 2 CPU cores a node measures 0.2–0.35 of a step, so the prior errs toward
    /// small first trees; measurements take over after a few.
    public static let priorRelativeSlope = 0.5

    /// Tree sizes tried as growth targets besides the next node: powers of two and the maximum.
    private let candidateSizes: [Int]
    /// Trees timed so far (the prior counts as one), for the running mean of the slope.
    private var slopeSamples = 1

    /// A planner for trees of up to `maximumNodes` nodes, with no timings yet.
    ///
    /// - Throws: ``SpeculativeError/invalidBudget(_:limit:)`` outside `1...TreeShape.nodeLimit`.
    public init(maximumNodes: Int) throws {
        guard (1...TreeShape.nodeLimit).contains(maximumNodes) else {
            throw SpeculativeError.invalidBudget(maximumNodes, limit: TreeShape.nodeLimit)
        }
        self.maximumNodes = maximumNodes
        relativeSlope = Self.priorRelativeSlope
        var sizes: [Int] = []
        var size = 1
        while size < maximumNodes {
            sizes.append(size)
            size *= 2
        }
        sizes.append(maximumNodes)
        candidateSizes = sizes
        valueCurve = Array(repeating: nil, count: maximumNodes + 1)
        keyCurve = Array(repeating: nil, count: maximumNodes + 1)
    }

    /// A planner with known costs (tests, or timings saved from an earlier run).
    ///
    /// - Parameters:
    ///   - plainSeconds: `c₀`, the cost of a plain step.
    ///   - relativeSlope: `κ`, the extra cost of a draft node as a share of `c₀`.
    /// - Throws: ``SpeculativeError/invalidBudget(_:limit:)``; ``SpeculativeError/invalidParameter(name:value:)``
    ///   unless `plainSeconds > 0` and `relativeSlope >= 0` (both finite).
    public init(maximumNodes: Int, plainSeconds: Double, relativeSlope: Double, learnsFromSteps: Bool = true) throws {
        try self.init(maximumNodes: maximumNodes)
        guard plainSeconds.isFinite, plainSeconds > 0 else {
            throw SpeculativeError.invalidParameter(name: "plainSeconds", value: plainSeconds)
        }
        guard relativeSlope.isFinite, relativeSlope >= 0 else {
            throw SpeculativeError.invalidParameter(name: "relativeSlope", value: relativeSlope)
        }
        self.learnsFromSteps = learnsFromSteps
        self.plainSeconds = plainSeconds
        self.relativeSlope = relativeSlope
    }

    /// Folds a measured evaluation into the cost model: `nodes` is the evaluated tree's size
    /// (draft nodes plus the root they hang below), 0 for a plain, appended step (which refines
    /// `c₀`); a tree of 2 or more nodes refines `κ` — a running mean over the first few trees
    /// (the prior counting as one), then an exponential moving average.
    public mutating func record(nodes: Int, seconds: Double) {
        guard learnsFromSteps, seconds.isFinite, seconds >= 0 else { return }
        guard nodes > 0 else {
            plainSeconds = plainSeconds.map { 0.8 * $0 + 0.2 * seconds } ?? seconds
            return
        }
        guard nodes >= 2, let plain = plainSeconds, plain > 0 else { return }
        let sample = max(0, (seconds / plain - 1) / Double(nodes - 1))
        slopeSamples += 1
        let weight = max(0.2, 1 / Double(slopeSamples))
        relativeSlope += weight * (sample - relativeSlope)
    }

    /// The estimated cost of a step with `nodes` draft nodes: `c₀ · (1 + κ · nodes) + nodes · d`
    /// (`c₀` without any); 0 while `c₀` is unknown.
    public func stepSeconds(nodes: Int, draftSecondsPerNode: Double) -> Double {
        guard let plain = plainSeconds else { return 0 }
        return plain * (1 + relativeSlope * Double(nodes)) + Double(nodes) * draftSecondsPerNode
    }

    /// Whether to draw one more node, given `nodes` drawn so far with values summing to
    /// `valueSum` and `nextKey` the estimated value of the next one (see the type's summary).
    /// Never grows before a plain step has been timed.
    public func shouldGrow(nodes: Int, valueSum: Double, nextKey: Double, draftSecondsPerNode: Double) -> Bool {
        guard nodes < maximumNodes, plainSeconds != nil else { return false }
        let scale = acceptanceScale
        let current = (1 + scale * valueSum)
            / max(stepSeconds(nodes: nodes, draftSecondsPerNode: draftSecondsPerNode), .leastNormalMagnitude)
        for size in [nodes + 1] + candidateSizes where size > nodes {
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

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
