/// The synchronous form of a generation: each ``next()`` returns the next event, running a
/// strategy step when no event is pending. Ends with one ``GenerationEvent/finished(_:)``.
public struct GenerationIterator<Strategy: DecodingStrategy> {
    private let generator: Generator<Strategy>
    private var strategy: Strategy
    /// The session being advanced (after the end: holds the generated tokens that were evaluated).
    public private(set) var session: any ModelSession
    private var text: TextAssembler
    private var generated: [Int] = []
    private var statistics = StepStatistics()
    private var pending: [GenerationEvent] = []
    private var pendingIndex = 0
    private var done = false
    /// A token the strategy emitted but left unevaluated (see ``DecodingStrategy``).
    private var unevaluated: Int?

    init(generator: Generator<Strategy>, session: any ModelSession) {
        self.generator = generator
        self.session = session
        strategy = generator.strategy
        text = TextAssembler(stopStrings: generator.stopStrings)
    }

    /// The next event, or `nil` once the finished event was returned.
    ///
    /// - Throws: the strategy's and the model's errors (a thrown error ends the iteration).
    public mutating func next() throws -> GenerationEvent? {
        if pendingIndex < pending.count {
            defer { pendingIndex += 1 }
            return pending[pendingIndex]
        }
        guard !done else { return nil }
        pending.removeAll(keepingCapacity: true)
        pendingIndex = 0
        do {
            try advance()
        } catch {
            done = true
            throw error
        }
        return try next()
    }

    private mutating func advance() throws {
        if Task.isCancelled { return finish(.cancelled) }
        if let token = unevaluated {
            guard session.count < generator.model.contextLength else { return finish(.contextFull) }
            try session.append([token])
            unevaluated = nil
        }
        let contextLeft = generator.model.contextLength - session.count
        guard contextLeft > 0 else { return finish(.contextFull) }
        let remaining = min(generator.maxTokens - generated.count, contextLeft)
        let step = try strategy.step(&session, context: StepContext(model: generator.model, remainingTokens: remaining))
        precondition(!step.tokens.isEmpty && step.tokens.count <= remaining,
                     "a strategy must emit between 1 and remainingTokens tokens")
        statistics += step.statistics
        if !step.lastTokenEvaluated, let last = step.tokens.last { unevaluated = last }
        for token in step.tokens {
            generated.append(token)
            let bytes = try generator.decoder?.bytes(for: token) ?? []
            let isEnd = generator.stopAtEndOfSequence && generator.model.specialTokens.isStop(token)
            let (delta, stop) = isEnd ? ("", nil) : text.append(bytes)
            pending.append(.token(GeneratedToken(token: token, bytes: bytes, text: delta)))
            if isEnd { return finish(.endOfSequence(token: token)) }
            if let stop { return finish(.stopString(stop)) }
            if generator.shouldStop?(generated) == true { return finish(.predicate) }
        }
        if generated.count >= generator.maxTokens { return finish(.maxTokens) }
    }

    private mutating func finish(_ reason: StopReason) {
        let tail = text.flush()
        if !tail.isEmpty, let last = pending.indices.last, case .token(var token) = pending[last] {
            token.text += tail
            pending[last] = .token(token)
        }
        pending.append(.finished(GenerationResult(tokens: generated, text: text.text, stopReason: reason,
                                                  statistics: statistics)))
        done = true
    }
}
