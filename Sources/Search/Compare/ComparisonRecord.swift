/// The outcome of one task under one strategy and seed.
public struct ComparisonRecord: Sendable, Hashable, Codable {
    /// The strategy's name as given (`beam:4`).
    public var strategy: String
    /// The task's id.
    public var task: String
    /// The seed.
    public var seed: UInt64
    /// The generated text.
    public var text: String
    /// The generated tokens.
    public var tokens: [Int]
    /// The task's check (1/0 accuracy or validity); `nil` when the task has none.
    public var taskScore: Double?
    /// The comparison's verifier score of the output.
    public var verifierScore: Double?
    /// Model calls the generation made.
    public var modelCalls: Int
    /// Tokens the model evaluated.
    public var tokensEvaluated: Int
    /// Wall-clock seconds of the generation.
    public var seconds: Double
    /// Why the task failed (a verifier error), or `nil`.
    public var failure: String?

    /// A record.
    public init(strategy: String, task: String, seed: UInt64, text: String, tokens: [Int], taskScore: Double?,
                verifierScore: Double?, modelCalls: Int, tokensEvaluated: Int, seconds: Double, failure: String? = nil) {
        self.strategy = strategy
        self.task = task
        self.seed = seed
        self.text = text
        self.tokens = tokens
        self.taskScore = taskScore
        self.verifierScore = verifierScore
        self.modelCalls = modelCalls
        self.tokensEvaluated = tokensEvaluated
        self.seconds = seconds
        self.failure = failure
    }
}

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
