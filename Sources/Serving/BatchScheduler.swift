import Decoding
import Foundation
import Logging

/// Runs every accepted generation on one shared model, in one loop on its own thread, with
/// continuous batching: at each step, the token-by-token generations (sampling and greedy
/// with any processor chain, lcd and awrs under a constraint) each choose their next token,
/// and the chosen tokens are evaluated together in one ``LanguageModel/appendBatch(_:tokens:)``
/// call. A generation joins the batch between two steps (after its prompt's prefill) and
/// leaves it when it ends or its client cancels.
///
/// Strategies whose step is itself several tokens or several sessions (best-of-n, vote, beam,
/// lookahead, diverse, cautious, smc:N) run their steps alone, between the batched steps of
/// the others: the loop stays one thread, so the model is never called concurrently.
///
/// Batching never changes a generation's tokens: each job's strategy sees exactly the session
/// it would see alone (``DeferredAppendSession``), and the model's batched evaluation gives each
/// token the same logits as evaluating it alone.
///
/// ```swift
/// let scheduler = try BatchScheduler(model: model, decoder: tokenizer)
/// let ticket = try scheduler.submit([GenerationJob(prompt: ids, strategy: strategy,
///                                                  isTokenByToken: true, maxTokens: 64)])
/// for try await update in ticket.updates { … }
/// ```
public final class BatchScheduler: @unchecked Sendable {
    /// The model every generation runs on.
    public let model: any LanguageModel
    /// The bounds.
    public let configuration: SchedulerConfiguration
    private let decoder: any TokenDecoder
    private let logger: Logger

    // Shared with submitting tasks, guarded by `condition`.
    private let condition = NSCondition()
    private var waiting: [QueuedJob] = []
    private var statistics = SchedulerStatistics(active: 0, queued: 0, batches: 0, batchedTokens: 0, cancelled: 0,
                                                 completed: 0)
    private var nextGroupID = 0
    private var stopping = false

    /// A scheduler whose loop starts now, on a thread of its own.
    ///
    /// - Throws: ``ServingError/invalidField(field:reason:)`` for a bound below 1.
    public init(model: any LanguageModel, decoder: any TokenDecoder,
                configuration: SchedulerConfiguration = SchedulerConfiguration(),
                logger: Logger = Logger(label: "swift-decoding.serving")) throws {
        guard configuration.maxBatchSize >= 1 else {
            throw ServingError.invalidField(field: "maxBatchSize", reason: "must be at least 1, got \(configuration.maxBatchSize)")
        }
        guard configuration.maxQueued >= 0 else {
            throw ServingError.invalidField(field: "maxQueued", reason: "must be at least 0, got \(configuration.maxQueued)")
        }
        self.model = model
        self.decoder = decoder
        self.configuration = configuration
        self.logger = logger
        let thread = Thread { [self] in runLoop() }
        thread.name = "swift-decoding.scheduler"
        thread.start()
    }

    /// Queues the choices of one request (all or none).
    ///
    /// - Throws: ``ServingError/queueFull(limit:)`` when the queue cannot take them all,
    ///   ``ServingError/shuttingDown`` after ``shutdown()``.
    public func submit(_ jobs: [GenerationJob]) throws(ServingError) -> GenerationTicket {
        precondition(!jobs.isEmpty, "a request has at least one choice")
        let (stream, continuation) = AsyncThrowingStream<ChoiceUpdate, any Error>.makeStream()
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { throw .shuttingDown }
        let free = configuration.maxBatchSize - statistics.active
        guard waiting.count + jobs.count <= configuration.maxQueued + max(0, free) else {
            throw .queueFull(limit: configuration.maxQueued)
        }
        let group = RequestGroup(id: nextGroupID, choices: jobs.count, continuation: continuation)
        nextGroupID += 1
        for (choice, job) in jobs.enumerated() { waiting.append(QueuedJob(group: group, choice: choice, job: job)) }
        statistics.queued = waiting.count
        condition.signal()
        let cancel: @Sendable () -> Void = { [weak self] in self?.cancel(group) }
        continuation.onTermination = { _ in cancel() }
        return GenerationTicket(updates: stream, cancel: cancel)
    }

    /// What the scheduler is doing and has done.
    public var currentStatistics: SchedulerStatistics {
        condition.lock()
        defer { condition.unlock() }
        return statistics
    }

    /// Stops the loop after its current step; waiting and running requests end with
    /// ``ServingError/shuttingDown``.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func cancel(_ group: RequestGroup) {
        condition.lock()
        defer { condition.unlock() }
        guard !group.isCancelled else { return }
        group.isCancelled = true
        let before = waiting.count
        waiting.removeAll { $0.group === group }
        statistics.cancelled += before - waiting.count
        statistics.queued = waiting.count
        condition.signal()
    }

    // MARK: The loop (its own thread)

    private func runLoop() {
        var running: [RunningJob] = []
        while true {
            condition.lock()
            while running.isEmpty && waiting.isEmpty && !stopping { condition.wait() }
            if stopping {
                let queued = waiting
                waiting.removeAll()
                condition.unlock()
                for job in running { job.group.fail(ServingError.shuttingDown) }
                for job in queued { job.group.fail(ServingError.shuttingDown) }
                return
            }
            var cancelled = 0
            running.removeAll { job in
                let drop = job.group.isCancelled || job.group.isClosed
                if drop && job.group.isCancelled { cancelled += 1 }
                return drop
            }
            let admitted = Array(waiting.prefix(max(0, configuration.maxBatchSize - running.count)))
            waiting.removeFirst(admitted.count)
            statistics.cancelled += cancelled
            statistics.queued = waiting.count
            statistics.active = running.count + admitted.count
            condition.unlock()

            for queued in admitted where !queued.group.isClosed {
                if let job = start(queued) { running.append(job) }
            }
            var finished = 0
            running.removeAll { job in
                switch advance(job) {
                case .running: return false
                case .finished: finished += 1; return true
                case .failed: return true
                }
            }
            evaluateDeferredTokens(of: running)
            condition.lock()
            statistics.completed += finished
            statistics.active = running.count
            condition.unlock()
        }
    }

    /// Prefills a job's prompt and makes its iterator; a failure ends the job's request.
    private func start(_ queued: QueuedJob) -> RunningJob? {
        do {
            let session = try model.makeSession(prompt: queued.job.prompt)
            let proxy = queued.job.isTokenByToken
                ? DeferredAppendSession(base: session, vocabularySize: model.vocabularySize,
                                        contextLength: model.contextLength)
                : nil
            let generator = try Generator(model: model, strategy: ErasedStrategy(base: queued.job.strategy),
                                          decoder: decoder, maxTokens: queued.job.maxTokens,
                                          stopStrings: queued.job.stopStrings)
            return RunningJob(queued: queued, iterator: generator.makeIterator(session: proxy ?? session), proxy: proxy)
        } catch {
            logger.debug("prefill failed", metadata: ["error": "\(error)"])
            queued.group.fail(error)
            return nil
        }
    }

    /// What became of a job after one event.
    private enum Progress {
        case running, finished, failed
    }

    /// Runs one event of `job` (a step when none is pending); a step's closing event, which
    /// follows its tokens, is passed over so that every call does one step's work.
    private func advance(_ job: RunningJob) -> Progress {
        do {
            while true {
                // The row the step samples from, for log-probabilities (a token-by-token step
                // emits exactly the one token it draws from this row).
                let row = job.queued.job.logprobs != nil ? job.proxy?.base.logits : nil
                let event = try job.iterator.next()
                if let error = job.proxy?.deferredError { throw error }
                switch event {
                case .token(let token)?:
                    var served = ServedToken(id: token.token, bytes: token.bytes, text: token.text, logprob: nil,
                                             topLogprobs: [])
                    if let top = job.queued.job.logprobs, let row {
                        (served.logprob, served.topLogprobs) = try ServedToken.logprobs(of: token.token, in: row, top: top)
                    }
                    job.group.deliver(ChoiceUpdate(choice: job.queued.choice, event: .token(served)))
                    return .running
                case .step?:
                    continue
                case .finished(let result)?:
                    job.group.deliver(ChoiceUpdate(choice: job.queued.choice, event: .finished(ServedCompletion(
                        tokens: result.tokens, text: result.text, stopReason: result.stopReason,
                        promptTokens: job.queued.job.prompt.count))))
                    return .finished
                case nil:
                    return .finished
                }
            }
        } catch {
            job.group.fail(error)
            return .failed
        }
    }

    /// Evaluates the tokens the token-by-token jobs chose, in one batched call; when the batch
    /// fails (the model then changes no session), one by one, so only the job at fault ends.
    private func evaluateDeferredTokens(of running: [RunningJob]) {
        var sessions: [any ModelSession] = []
        var tokens: [Int] = []
        var owners: [RunningJob] = []
        for job in running {
            guard let proxy = job.proxy, let token = proxy.takeDeferredToken() else { continue }
            sessions.append(proxy.base)
            tokens.append(token)
            owners.append(job)
        }
        guard !sessions.isEmpty else { return }
        do {
            try model.appendBatch(sessions, tokens: tokens)
            condition.lock()
            statistics.batches += 1
            statistics.batchedTokens += tokens.count
            condition.unlock()
        } catch {
            logger.debug("batched evaluation failed; evaluating one by one", metadata: ["error": "\(error)"])
            for (index, job) in owners.enumerated() {
                do {
                    try sessions[index].append([tokens[index]])
                } catch {
                    job.group.fail(error)
                }
            }
        }
    }
}

/// A job waiting for a place in the batch.
struct QueuedJob {
    let group: RequestGroup
    let choice: Int
    let job: GenerationJob
}

/// A job in the batch: its generation iterator and, for a token-by-token job, the session that
/// defers its appends to the batch. Used on the scheduler's thread only.
final class RunningJob {
    let queued: QueuedJob
    var iterator: GenerationIterator<ErasedStrategy>
    let proxy: DeferredAppendSession?

    var group: RequestGroup { queued.group }

    init(queued: QueuedJob, iterator: GenerationIterator<ErasedStrategy>, proxy: DeferredAppendSession?) {
        self.queued = queued
        self.iterator = iterator
        self.proxy = proxy
    }
}
