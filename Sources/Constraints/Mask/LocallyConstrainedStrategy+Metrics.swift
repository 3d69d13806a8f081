import Decoding

extension LocallyConstrainedStrategy {
    /// `mask_cache_hits`: masks served from the mask's cache instead of being recomputed.
    public var metrics: StrategyMetrics {
        var metrics = StrategyMetrics()
        if let mask = chain.processors.first as? ConstraintMask<C> { metrics["mask_cache_hits"] = .count(mask.maskCacheHits) }
        return metrics
    }
}
