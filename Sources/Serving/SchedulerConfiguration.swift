/// The bounds of a ``BatchScheduler``.
public struct SchedulerConfiguration: Sendable, Hashable {
    /// The most generations that advance together (one batched evaluation per step).
    public var maxBatchSize: Int
    /// The most generations that wait for a place in the batch; a request beyond that is
    /// refused with ``ServingError/queueFull(limit:)`` (HTTP 429).
    public var maxQueued: Int

    /// Bounds; both at least 1 (checked by the scheduler's initializer).
    public init(maxBatchSize: Int = 16, maxQueued: Int = 64) {
        self.maxBatchSize = maxBatchSize
        self.maxQueued = maxQueued
    }
}

/// What a ``BatchScheduler`` is doing and has done.
public struct SchedulerStatistics: Sendable, Hashable {
    /// Generations in the batch now.
    public var active: Int
    /// Generations waiting for a place.
    public var queued: Int
    /// `appendBatch` calls made for token-by-token generations.
    public var batches: Int
    /// Tokens evaluated in those calls (so `batchedTokens / batches` is the mean batch size).
    public var batchedTokens: Int
    /// Generations dropped because their client cancelled or went away.
    public var cancelled: Int
    /// Generations that ran to their end.
    public var completed: Int
}

/// One event of one choice of a request.
public struct ChoiceUpdate: Sendable, Hashable {
    /// Which choice (0..<n).
    public var choice: Int
    /// The event.
    public var event: ServedEvent
}
