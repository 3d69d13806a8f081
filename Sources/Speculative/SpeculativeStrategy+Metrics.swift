import Decoding

extension SpeculativeStrategy {
    /// Speculative decoding's counts so far: `steps`, `drafted_nodes`, `accepted_tokens`,
    /// `emitted_tokens`, `drafted_at_depth` and `accepted_at_depth` (per draft depth, 0: the
    /// root's children), `draft_seconds` and `verify_seconds`; with an adaptive budget also what
    /// the ``TreeBudgetPlanner`` learned: `planner_plain_seconds` (c₀, once measured),
    /// `planner_relative_slope` (κ) and `planner_acceptance_scale`.
    public var metrics: StrategyMetrics {
        var metrics = StrategyMetrics()
        metrics["steps"] = .count(statistics.steps)
        metrics["drafted_nodes"] = .count(statistics.draftedNodes)
        metrics["accepted_tokens"] = .count(statistics.acceptedTokens)
        metrics["emitted_tokens"] = .count(statistics.emittedTokens)
        metrics["drafted_at_depth"] = .counts(statistics.draftedAtDepth)
        metrics["accepted_at_depth"] = .counts(statistics.acceptedAtDepth)
        metrics["draft_seconds"] = .number(statistics.draftSeconds)
        metrics["verify_seconds"] = .number(statistics.verifySeconds)
        if let planner {
            if let plain = planner.plainSeconds { metrics["planner_plain_seconds"] = .number(plain) }
            metrics["planner_relative_slope"] = .number(planner.relativeSlope)
            metrics["planner_acceptance_scale"] = .number(planner.acceptanceScale)
        }
        return metrics
    }
}
