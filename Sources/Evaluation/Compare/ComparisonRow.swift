/// One strategy's summary over every task and seed.
public struct ComparisonRow: Sendable, Hashable, Codable {
    /// The strategy.
    public var strategy: String
    /// Mean over seeds of the mean task score (failed tasks count 0).
    public var scoreMean: Double
    /// Sample standard deviation over seeds of the mean task score (0 for one seed).
    public var scoreStd: Double
    /// Mean verifier score over the records that have one.
    public var verifierMean: Double?
    /// Model calls per task.
    public var modelCalls: Double
    /// Tokens evaluated per task.
    public var tokensEvaluated: Double
    /// Total wall-clock seconds.
    public var seconds: Double
    /// Generated tokens per wall-clock second.
    public var tokensPerSecond: Double
    /// Records that failed.
    public var failed: Int

    /// A row.
    public init(strategy: String, scoreMean: Double, scoreStd: Double, verifierMean: Double?, modelCalls: Double,
                tokensEvaluated: Double, seconds: Double, tokensPerSecond: Double, failed: Int) {
        self.strategy = strategy
        self.scoreMean = scoreMean
        self.scoreStd = scoreStd
        self.verifierMean = verifierMean
        self.modelCalls = modelCalls
        self.tokensEvaluated = tokensEvaluated
        self.seconds = seconds
        self.tokensPerSecond = tokensPerSecond
        self.failed = failed
    }

    /// Summarizes `records` of one strategy, in the order of `strategies`.
    public static func summarize(_ records: [ComparisonRecord], strategies: [String]) -> [ComparisonRow] {
        strategies.map { strategy in
            let mine = records.filter { $0.strategy == strategy }
            var perSeed: [UInt64: [Double]] = [:]
            for record in mine { perSeed[record.seed, default: []].append(record.failure == nil ? record.taskScore ?? 0 : 0) }
            let means = perSeed.keys.sorted().map { seed in
                let scores = perSeed[seed, default: []]
                return scores.reduce(0, +) / Double(max(scores.count, 1))
            }
            let mean = means.reduce(0, +) / Double(max(means.count, 1))
            let variance = means.count > 1 ? means.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(means.count - 1) : 0
            let verified = mine.compactMap(\.verifierScore)
            let count = Double(max(mine.count, 1))
            let seconds = mine.reduce(0) { $0 + $1.seconds }
            let generated = mine.reduce(0) { $0 + $1.tokens.count }
            return ComparisonRow(
                strategy: strategy, scoreMean: mean, scoreStd: variance.squareRoot(),
                verifierMean: verified.isEmpty ? nil : verified.reduce(0, +) / Double(verified.count),
                modelCalls: Double(mine.reduce(0) { $0 + $1.modelCalls }) / count,
                tokensEvaluated: Double(mine.reduce(0) { $0 + $1.tokensEvaluated }) / count,
                seconds: seconds, tokensPerSecond: seconds > 0 ? Double(generated) / seconds : 0,
                failed: mine.filter { $0.failure != nil }.count)
        }
    }
}
