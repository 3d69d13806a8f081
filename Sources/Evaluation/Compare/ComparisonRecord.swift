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
