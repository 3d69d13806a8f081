import Decoding
import Foundation
import Strategies

/// The strategy part of `decode generate`'s statistics (`--json` field `strategy`, and a
/// stderr line): what the steps cost, summed by ``Generator``.
struct StrategyReport: Encodable {
    let name: String
    let steps: Int
    let model_calls: Int
    let tokens_evaluated: Int
    let discarded_tokens: Int
    let branches_tried: Int
    let branching_steps: Int

    init(name: String, statistics: StepStatistics) {
        self.name = name
        steps = statistics.steps
        model_calls = statistics.modelCalls
        tokens_evaluated = statistics.tokensEvaluated
        discarded_tokens = statistics.discardedTokens
        branches_tried = statistics.branchesTried
        branching_steps = statistics.branchingSteps
    }

    var summary: String {
        "strategy: \(name), \(steps) steps, \(model_calls) model calls, \(tokens_evaluated) tokens evaluated "
            + "(\(discarded_tokens) discarded), \(branches_tried) branches tried, \(branching_steps) branching steps\n"
    }
}

/// The constraint part (`--json` field `constraint`): the verdict on the output and the
/// constraint work per generated token.
struct ConstraintReport: Encodable {
    let kind: String
    let method: String
    let valid: Bool
    let complete: Bool
    let json_parses: Bool?
    let constraint_checks: Int?
    let checks_per_token: Double?
    let rejections: Int?
    let full_masks: Int?
    let mask_cache_hits: Int?
    let log_marginal_likelihood: Double?
    let resamplings: Int?

    /// The report of a constrained run: the verdict, and the strategy's own counts by name.
    init(kind: String, method: String, verdict: ConstraintVerdict, metrics: StrategyMetrics, tokens: Int) {
        self.kind = kind
        self.method = method
        valid = verdict.valid
        complete = verdict.complete
        json_parses = verdict.jsonParses
        constraint_checks = metrics["constraint_checks"]?.count
        checks_per_token = constraint_checks.map { Double($0) / Double(max(tokens, 1)) }
        rejections = metrics["rejections"]?.count
        full_masks = metrics["full_masks"]?.count
        mask_cache_hits = metrics["mask_cache_hits"]?.count
        // JSON has no infinity: a run where every particle died reports no estimate.
        log_marginal_likelihood = metrics["log_marginal_likelihood"]?.number.flatMap { $0.isFinite ? $0 : nil }
        resamplings = metrics["resamplings"]?.count
    }

    var summary: String {
        var line = "constraint: \(kind) via \(method), output \(valid ? (complete ? "accepted" : "an unfinished prefix") : "REJECTED")"
        if let json_parses { line += json_parses ? ", parses as JSON" : ", does not parse as JSON" }
        if let constraint_checks, let checks_per_token {
            line += ", \(constraint_checks) checks (\(String(format: "%.2f", checks_per_token)) per token)"
        }
        if let full_masks { line += ", \(full_masks) full masks" }
        if let mask_cache_hits { line += ", \(mask_cache_hits) masks from cache" }
        if let log_marginal_likelihood { line += ", log Z ≈ \(String(format: "%.3f", log_marginal_likelihood))" }
        if let resamplings { line += ", \(resamplings) resamplings" }
        return line + "\n"
    }
}

/// One SMC particle in `--json` (field `particles`).
struct ParticleReport: Encodable {
    let tokens: [Int]
    let text: String
    let weight: Double
    let log_weight: Double?
    let status: String
}

/// The speculative part (`--json` field `speculative`).
struct SpeculativeReport: Encodable {
    /// The dynamic tree's budget as asked for: "auto" or a node count (nil for other trees).
    let tree_budget: String?
    let steps: Int
    let drafted_nodes: Int
    let accepted_tokens: Int
    let emitted_tokens: Int
    let acceptance_rate: Double
    let mean_accepted_length: Double
    let tokens_per_target_call: Double
    let draft_seconds: Double
    let verify_seconds: Double
    /// Draft nodes at each depth (0: children of the root) and how many of them were accepted.
    let drafted_at_depth: [Int]
    let accepted_at_depth: [Int]
    /// What the tree-budget planner learned (adaptive budget only): a plain step's seconds, the
    /// extra cost of a tree node as a share of it, and its acceptance scale.
    let planner_plain_seconds: Double?
    let planner_relative_slope: Double?
    let planner_acceptance_scale: Double?

    /// The report of speculative decoding's metrics (see `SpeculativeStrategy.metrics`).
    init(_ metrics: StrategyMetrics, treeBudget: String?) {
        tree_budget = treeBudget
        steps = metrics["steps"]?.count ?? 0
        drafted_nodes = metrics["drafted_nodes"]?.count ?? 0
        accepted_tokens = metrics["accepted_tokens"]?.count ?? 0
        emitted_tokens = metrics["emitted_tokens"]?.count ?? 0
        acceptance_rate = drafted_nodes == 0 ? 0 : Double(accepted_tokens) / Double(drafted_nodes)
        mean_accepted_length = steps == 0 ? 0 : Double(accepted_tokens) / Double(steps)
        tokens_per_target_call = steps == 0 ? 0 : Double(emitted_tokens) / Double(steps)
        draft_seconds = metrics["draft_seconds"]?.number ?? 0
        verify_seconds = metrics["verify_seconds"]?.number ?? 0
        drafted_at_depth = metrics["drafted_at_depth"]?.counts ?? []
        accepted_at_depth = metrics["accepted_at_depth"]?.counts ?? []
        planner_plain_seconds = metrics["planner_plain_seconds"]?.number
        planner_relative_slope = metrics["planner_relative_slope"]?.number
        planner_acceptance_scale = metrics["planner_acceptance_scale"]?.number
    }

    var summary: String {
        "speculative: acceptance \(String(format: "%.1f", acceptance_rate * 100))% of \(drafted_nodes) drafted, "
            + "mean accepted length \(String(format: "%.2f", mean_accepted_length)), "
            + "\(String(format: "%.2f", tokens_per_target_call)) tokens per target call, "
            + "draft \(String(format: "%.3f", draft_seconds)) s, verify \(String(format: "%.3f", verify_seconds)) s\n"
    }
}
