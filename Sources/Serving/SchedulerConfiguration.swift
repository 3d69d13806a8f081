/// The bounds of a ``BatchScheduler``.
public struct SchedulerConfiguration: Sendable, Hashable {
    /// The most generations that advance together (one batched evaluation per step).
    public var maxBatchSize: Int
    /// The most generations that wait for a place in the batch; a request beyond that is
    /// refused with ``ServingError/queueFull(limit:)`` (HTTP 429).
    public var maxQueued: Int
    /// The most prompt tokens evaluated in one step, over every joining generation: a long
    /// prompt is prefilled in chunks of this size, each in the same model call as the running
    /// generations' next tokens, so they keep advancing while it prefills (chunked prefill).
    public var prefillChunk: Int
    /// Threads that run the token-by-token generations' steps (sampling, text, log-probabilities)
    /// between two model calls; the model's own threads are idle then.
    public var stepThreads: Int

    /// Bounds; each at least 1 except `maxQueued` (checked by the scheduler's initializer).
    public init(maxBatchSize: Int = 16, maxQueued: Int = 64, prefillChunk: Int = 64, stepThreads: Int = 1) {
        self.maxBatchSize = maxBatchSize
        self.maxQueued = maxQueued
        self.prefillChunk = prefillChunk
        self.stepThreads = stepThreads
    }
}

/// What a ``BatchScheduler`` is doing and has done.
public struct SchedulerStatistics: Sendable, Hashable {
    /// Generations in the batch now (prefilling or generating).
    public var active: Int
    /// Generations waiting for a place.
    public var queued: Int
    /// Model calls made for the batch: `appendBatch`-style steps holding the token-by-token
    /// generations' next tokens and the joining prompts' chunks.
    public var batches: Int
    /// Generated tokens evaluated in those calls (so `batchedTokens / batches` is the mean
    /// number of decoding generations per step).
    public var batchedTokens: Int
    /// Prompt tokens evaluated in those calls.
    public var prefillTokens: Int
    /// `occupancy[b]`: the steps whose call evaluated `b` generated tokens (index 0: a step of
    /// prompt chunks only).
    public var occupancy: [Int]
    /// Seconds spent in the batch's model calls.
    public var modelSeconds: Double
    /// Seconds spent between them, in the generations' own steps (sampling, constraints, text,
    /// and the whole steps of the strategies that are not batched).
    public var stepSeconds: Double
    /// Generations dropped because their client cancelled or went away.
    public var cancelled: Int
    /// Generations that ran to their end.
    public var completed: Int

    /// Statistics of a scheduler that has done nothing yet.
    public init() {
        active = 0
        queued = 0
        batches = 0
        batchedTokens = 0
        prefillTokens = 0
        occupancy = []
        modelSeconds = 0
        stepSeconds = 0
        cancelled = 0
        completed = 0
    }
}

/// One event of one choice of a request.
public struct ChoiceUpdate: Sendable, Hashable {
    /// Which choice (0..<n).
    public var choice: Int
    /// The event.
    public var event: ServedEvent
}
