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
/// A class shared by the submitting task and the scheduler's thread: `isCancelled` is read and
/// written under the scheduler's lock, the rest on the scheduler's thread only.
final class RequestGroup: @unchecked Sendable {
    let id: Int
    let continuation: AsyncThrowingStream<ChoiceUpdate, any Error>.Continuation
    /// Choices not finished yet.
    var remaining: Int
    /// Set when the stream ended (finished, failed or cancelled); its jobs are dropped.
    var isClosed = false
    /// Set by ``GenerationTicket/cancel()`` (under the scheduler's lock).
    var isCancelled = false

    init(id: Int, choices: Int, continuation: AsyncThrowingStream<ChoiceUpdate, any Error>.Continuation) {
        self.id = id
        remaining = choices
        self.continuation = continuation
    }

    /// Delivers an event; after the last choice's end, ends the stream.
    func deliver(_ update: ChoiceUpdate) {
        guard !isClosed else { return }
        continuation.yield(update)
        if case .finished = update.event {
            remaining -= 1
            if remaining == 0 {
                isClosed = true
                continuation.finish()
            }
        }
    }

    /// Ends the stream with `error`.
    func fail(_ error: any Error) {
        guard !isClosed else { return }
        isClosed = true
        continuation.finish(throwing: error)
    }
}
