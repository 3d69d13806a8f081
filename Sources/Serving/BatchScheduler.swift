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
    private var statistics = SchedulerStatistics()
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
        guard configuration.prefillChunk >= 1 else {
            throw ServingError.invalidField(field: "prefillChunk", reason: "must be at least 1, got \(configuration.prefillChunk)")
        }
        guard configuration.stepThreads >= 1 else {
            throw ServingError.invalidField(field: "stepThreads", reason: "must be at least 1, got \(configuration.stepThreads)")
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
        var prefilling: [PrefillingJob] = []
        while true {
            condition.lock()
            // Nothing to do while every running job is a search step on its own thread.
            while prefilling.isEmpty && waiting.isEmpty && !stopping && running.allSatisfy(\.isInFlight) {
                condition.wait()
            }
            if stopping {
                let queued = waiting
                waiting.removeAll()
                condition.unlock()
                for job in running { job.group.fail(ServingError.shuttingDown) }
                for job in prefilling { job.queued.group.fail(ServingError.shuttingDown) }
                for job in queued { job.group.fail(ServingError.shuttingDown) }
                return
            }
            var cancelled = 0
            func dropped(_ group: RequestGroup) -> Bool {
                let drop = group.isCancelled || group.isClosed
                if drop && group.isCancelled { cancelled += 1 }
                return drop
            }
            // A job whose search step is in flight is dropped when its step returns.
            running.removeAll { !$0.isInFlight && dropped($0.group) }
            prefilling.removeAll { dropped($0.queued.group) }
            let free = configuration.maxBatchSize - running.count - prefilling.count
            let admitted = Array(waiting.prefix(max(0, free)))
            waiting.removeFirst(admitted.count)
            statistics.cancelled += cancelled
            statistics.queued = waiting.count
            statistics.active = running.count + prefilling.count + admitted.count
            condition.unlock()

            prefilling += admitted.filter { !$0.group.isClosed }.map(PrefillingJob.init)
            let stepStart = DispatchTime.now().uptimeNanoseconds
            let finished = advanceBatchedJobs(&running)
            let modelStart = DispatchTime.now().uptimeNanoseconds
            let batch = evaluateBatch(of: running, prefilling: &prefilling)
            let modelEnd = DispatchTime.now().uptimeNanoseconds
            running += batch.started
            condition.lock()
            statistics.completed += finished
            statistics.active = running.count + prefilling.count
            statistics.stepSeconds += Double(modelStart - stepStart) / 1e9
            if batch.decoded + batch.prefilled > 0 {
                statistics.batches += 1
                statistics.batchedTokens += batch.decoded
                statistics.prefillTokens += batch.prefilled
                statistics.modelSeconds += Double(modelEnd - modelStart) / 1e9
                while statistics.occupancy.count <= batch.decoded { statistics.occupancy.append(0) }
                statistics.occupancy[batch.decoded] += 1
            }
            condition.unlock()
        }
    }

    /// Runs one event of every running job: the token-by-token jobs' steps on up to
    /// ``SchedulerConfiguration/stepThreads`` threads (they only read their sessions' logits and
    /// record the token they choose; the model is not called), and starts or collects the other
    /// jobs' steps, which run on threads of their own (see ``startAloneStep(_:)``). Returns how
    /// many jobs finished; finished and failed jobs leave `running`.
    private func advanceBatchedJobs(_ running: inout [RunningJob]) -> Int {
        var outcomes = [Progress](repeating: .running, count: running.count)
        let batched = running.indices.filter { running[$0].proxy != nil }
        let workers = min(configuration.stepThreads, batched.count)
        if workers > 1 {
            let jobs = running
            outcomes.withUnsafeMutableBufferPointer { results in
                let results = UnsafeSendableBuffer(results)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for index in stride(from: worker, to: batched.count, by: workers) {
                        results.buffer[batched[index]] = advance(jobs[batched[index]])
                    }
                }
            }
        } else {
            for index in batched { outcomes[index] = advance(running[index]) }
        }
        condition.lock()
        for index in running.indices where running[index].proxy == nil {
            let job = running[index]
            if job.isInFlight { continue }
            if let outcome = job.aloneOutcome {
                outcomes[index] = outcome
                job.aloneOutcome = nil
            }
            if outcomes[index] == .running && !job.group.isCancelled && !job.group.isClosed { startAloneStep(job) }
        }
        condition.unlock()
        var finished = 0
        var kept: [RunningJob] = []
        for (job, outcome) in zip(running, outcomes) {
            switch outcome {
            case .running: kept.append(job)
            case .finished: finished += 1
            case .failed: break
            }
        }
        running = kept
        return finished
    }

    /// Runs the next event of a job that is not batched (a search, cautious or smc step, which
    /// calls the model itself) on a thread of its own, so the batch does not wait for the whole
    /// step: the model serializes its calls, so the batch's calls interleave with the step's.
    /// Called under the lock; the outcome is collected by the loop.
    private func startAloneStep(_ job: RunningJob) {
        job.isInFlight = true
        DispatchQueue.global().async { [self] in
            let outcome = advance(job)
            condition.lock()
            job.aloneOutcome = outcome
            job.isInFlight = false
            condition.signal()
            condition.unlock()
        }
    }

    /// Prefills a job's prompt and makes its iterator; a failure ends the job's request.
    private func start(_ queued: QueuedJob, session: any ModelSession) -> RunningJob? {
        do {
            let proxy = queued.job.isTokenByToken
                ? DeferredAppendSession(base: session, vocabularySize: model.vocabularySize,
                                        contextLength: model.contextLength)
                : nil
            let generator = try Generator(model: model, strategy: ErasedStrategy(base: queued.job.strategy),
                                          decoder: decoder, maxTokens: queued.job.maxTokens,
                                          stopStrings: queued.job.stopStrings)
            return RunningJob(queued: queued, iterator: generator.makeIterator(session: proxy ?? session), proxy: proxy)
        } catch {
            logger.debug("starting a generation failed", metadata: ["error": "\(error)"])
            queued.group.fail(error)
            return nil
        }
    }

    /// What became of a job after one event.
    enum Progress {
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

    /// What one batched model call evaluated, and the jobs whose prompts it completed.
    private struct BatchOutcome {
        var decoded = 0
        var prefilled = 0
        var started: [RunningJob] = []
    }

    /// Evaluates, in one ``LanguageModel/evaluateBatch(appending:to:starting:)`` call, the tokens
    /// the token-by-token jobs chose and the next chunks of the joining prompts (at most
    /// ``SchedulerConfiguration/prefillChunk`` prompt tokens, first come first served). When the
    /// call fails (the model then changes no session), each part is evaluated alone, so only the
    /// job at fault ends. Jobs whose prompt is complete start generating at the next step.
    private func evaluateBatch(of running: [RunningJob], prefilling: inout [PrefillingJob]) -> BatchOutcome {
        var sessions: [any ModelSession] = []
        var runs: [[Int]] = []
        var owners: [RunningJob] = []
        for job in running {
            guard let proxy = job.proxy, let token = proxy.takeDeferredToken() else { continue }
            sessions.append(proxy.base)
            runs.append([token])
            owners.append(job)
        }
        var outcome = BatchOutcome(decoded: runs.count)
        var budget = configuration.prefillChunk
        var continuing: [PrefillingJob] = []
        var joining: [PrefillingJob] = []
        var prompts: [[Int]] = []
        for job in prefilling where budget > 0 {
            let chunk = Array(job.queued.job.prompt[job.evaluated..<min(job.queued.job.prompt.count, job.evaluated + budget)])
            budget -= max(1, chunk.count)
            job.chunk = chunk.count
            outcome.prefilled += chunk.count
            if let session = job.session {
                sessions.append(session)
                runs.append(chunk)
                continuing.append(job)
            } else {
                prompts.append(chunk)
                joining.append(job)
            }
        }
        guard !runs.isEmpty || !prompts.isEmpty else { return outcome }
        // A model without a shared pass may have appended some runs before failing on another.
        let countsBefore = sessions.map(\.count)
        func pending(_ index: Int) -> Bool { sessions[index].count == countsBefore[index] }
        do {
            let made = try model.evaluateBatch(appending: runs, to: sessions, starting: prompts)
            for (job, session) in zip(joining, made) { job.session = session }
            for job in continuing + joining { job.evaluated += job.chunk }
        } catch {
            logger.debug("batched evaluation failed; evaluating one by one", metadata: ["error": "\(error)"])
            for (index, job) in owners.enumerated() where pending(index) {
                do { try sessions[index].append(runs[index]) } catch { job.group.fail(error) }
            }
            for (index, job) in continuing.enumerated() {
                do {
                    if pending(owners.count + index) { try sessions[owners.count + index].append(runs[owners.count + index]) }
                    job.evaluated += job.chunk
                } catch {
                    job.queued.group.fail(error)
                }
            }
            for (index, job) in joining.enumerated() {
                do {
                    job.session = try model.makeSession(prompt: prompts[index])
                    job.evaluated += job.chunk
                } catch {
                    job.queued.group.fail(error)
                }
            }
        }
        prefilling.removeAll { job in
            if job.queued.group.isClosed { return true }
            guard job.evaluated == job.queued.job.prompt.count, let session = job.session else { return false }
            if let started = start(job.queued, session: session) { outcome.started.append(started) }
            return true
        }
        return outcome
    }
}

/// A job waiting for a place in the batch.
struct QueuedJob {
    let group: RequestGroup
    let choice: Int
    let job: GenerationJob
}

/// A job whose prompt is being evaluated, a chunk per step. Used on the scheduler's thread only.
final class PrefillingJob {
    let queued: QueuedJob
    /// The session, after the first chunk.
    var session: (any ModelSession)?
    /// Prompt tokens evaluated so far.
    var evaluated = 0
    /// The size of the chunk in the current step.
    var chunk = 0

    init(_ queued: QueuedJob) {
        self.queued = queued
    }
}

/// A job in the batch: its generation iterator and, for a token-by-token job, the session that
/// defers its appends to the batch. Used on the scheduler's thread, except that a job that is
/// not batched runs its steps on a thread of its own (`isInFlight` and `aloneOutcome` are
/// guarded by the scheduler's lock, and the loop leaves the job alone while it is in flight).
final class RunningJob: @unchecked Sendable {
    let queued: QueuedJob
    var iterator: GenerationIterator<ErasedStrategy>
    let proxy: DeferredAppendSession?
    /// Whether its step runs on its own thread now.
    var isInFlight = false
    /// How its last step on its own thread ended, until the loop collects it.
    var aloneOutcome: BatchScheduler.Progress?

    var group: RequestGroup { queued.group }

    init(queued: QueuedJob, iterator: GenerationIterator<ErasedStrategy>, proxy: DeferredAppendSession?) {
        self.queued = queued
        self.iterator = iterator
        self.proxy = proxy
    }
}

/// A buffer the workers of one `concurrentPerform` write at distinct indices.
private struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>

    init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        self.buffer = buffer
    }
}
