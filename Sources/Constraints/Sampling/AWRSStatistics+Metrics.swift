import Decoding

extension AWRSStatistics {
    /// The counts as ``Decoding/StrategyMetrics`` entries: `constraint_checks`, `rejections`,
    /// `full_masks`.
    func record(in metrics: inout StrategyMetrics) {
        metrics["constraint_checks"] = .count(checks)
        metrics["rejections"] = .count(rejections)
        metrics["full_masks"] = .count(fullMasks)
    }
}

extension AWRSStrategy {
    /// AWRS's work so far: `constraint_checks`, `rejections`, `full_masks`.
    public var metrics: StrategyMetrics {
        var metrics = StrategyMetrics()
        statistics.record(in: &metrics)
        return metrics
    }
}

extension SMCStrategy {
    /// The last run's AWRS work (`constraint_checks`, `rejections`, `full_masks`), its
    /// `resamplings` and `log_marginal_likelihood` (`log Ẑ`), and every particle as an
    /// alternative with its normalized weight; empty before the first run.
    public var metrics: StrategyMetrics {
        var metrics = StrategyMetrics()
        guard let result = lastResult else { return metrics }
        result.statistics.awrs.record(in: &metrics)
        metrics["resamplings"] = .count(result.statistics.resamplings)
        metrics["log_marginal_likelihood"] = .number(result.logMarginalLikelihood)
        metrics.alternatives = result.particles.map {
            StrategyMetrics.Alternative(tokens: $0.tokens, weight: $0.weight, logWeight: $0.logWeight, status: $0.status.rawValue)
        }
        return metrics
    }
}
