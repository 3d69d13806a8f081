import Foundation

/// A request accepted by a ``BatchScheduler``: the events of its choices as they come, and a
/// way to give it up.
///
/// The stream ends after every choice's ``ServedEvent/finished(_:)``, or with the error that
/// stopped one of them (the others are dropped). Cancelling, or dropping the stream, takes the
/// request's generations out of the queue or the batch before the scheduler's next step, which
/// frees their sessions.
public struct GenerationTicket: Sendable {
    /// Events of every choice, in the order they happen.
    public let updates: AsyncThrowingStream<ChoiceUpdate, any Error>
    private let cancelAction: @Sendable () -> Void

    init(updates: AsyncThrowingStream<ChoiceUpdate, any Error>, cancel: @escaping @Sendable () -> Void) {
        self.updates = updates
        cancelAction = cancel
    }

    /// Gives the request up (does nothing once it has ended).
    public func cancel() {
        cancelAction()
    }
}

/// The scheduler's record of one request: its stream, how many choices are still running,
/// and whether the client gave it up.
///
/// A class shared by the submitting task and the scheduler's threads: `isCancelled` is read and
/// written under the scheduler's lock; delivering, failing and `isClosed` under the group's own
/// lock (the choices of one request may step on different threads).
final class RequestGroup: @unchecked Sendable {
    let id: Int
    let continuation: AsyncThrowingStream<ChoiceUpdate, any Error>.Continuation
    private let lock = NSLock()
    /// Choices not finished yet.
    private var remaining: Int
    private var closed = false
    /// Set by ``GenerationTicket/cancel()`` (under the scheduler's lock).
    var isCancelled = false

    init(id: Int, choices: Int, continuation: AsyncThrowingStream<ChoiceUpdate, any Error>.Continuation) {
        self.id = id
        remaining = choices
        self.continuation = continuation
    }

    /// Whether the stream ended (finished, failed or cancelled); its jobs are dropped.
    var isClosed: Bool {
        lock.withLock { closed }
    }

    /// Delivers an event; after the last choice's end, ends the stream. The stream is finished
    /// outside the lock: finishing runs its termination handler, which takes the scheduler's lock.
    func deliver(_ update: ChoiceUpdate) {
        let isLast: Bool = lock.withLock {
            guard !closed else { return false }
            continuation.yield(update)
            guard case .finished = update.event else { return false }
            remaining -= 1
            closed = remaining == 0
            return closed
        }
        if isLast { continuation.finish() }
    }

    /// Ends the stream with `error`.
    func fail(_ error: any Error) {
        let closing: Bool = lock.withLock {
            defer { closed = true }
            return !closed
        }
        if closing { continuation.finish(throwing: error) }
    }
}
