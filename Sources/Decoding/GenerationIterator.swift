/// The synchronous form of a generation: each ``next()`` returns the next event, running a
/// strategy step when no event is pending. Ends with one ``GenerationEvent/finished(_:)``.
public struct GenerationIterator<Strategy: DecodingStrategy> {
    private let generator: Generator<Strategy>
    /// The generator's strategy as the steps so far left it (after the end: its final state,
    /// whose ``DecodingStrategy/metrics`` describe the whole generation).
    public private(set) var strategy: Strategy
    /// The session being advanced (after the end: holds the generated tokens that were evaluated).
    public private(set) var session: any ModelSession
    private var text: TextAssembler
    private var generated: [Int] = []
    private var statistics = StepStatistics()
    private var logprobs: [TokenLogprobs] = []
    /// The model's raw row before the current step, reused (``Generator/logprobs`` only).
    private var rawLogits: Logits?
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
        let options = generator.logprobs
        var raw: Logits?
        if options != nil {
            raw = try Logits.loading(session.logits, into: &rawLogits, vocabularySize: generator.model.vocabularySize)
        }
        defer { if let raw { rawLogits = raw } }
        let context = StepContext(model: generator.model, remainingTokens: remaining, recordsLogprobs: options != nil)
        let step = try strategy.step(&session, context: context)
        precondition(!step.tokens.isEmpty && step.tokens.count <= remaining,
                     "a strategy must emit between 1 and remainingTokens tokens")
        statistics += step.statistics
        if !step.lastTokenEvaluated, let last = step.tokens.last { unevaluated = last }
        var kept: [Int] = []
        defer { pending.insert(.step(GenerationStep(tokens: kept, statistics: step.statistics)), at: stepEventIndex) }
        for (index, token) in step.tokens.enumerated() {
            generated.append(token)
            kept.append(token)
            var tokenLogprobs: TokenLogprobs?
            if let options, let raw {
                var known = step.logprobs.isEmpty ? TokenLogprobs() : step.logprobs[index]
                if index == 0 {
                    // The generator saw the model's row before the step: the first token's raw
                    // log-probability and the most likely tokens there.
                    if known.model == nil { known.model = raw.logProbability(of: token) }
                    if options.top > 0 && known.top.isEmpty {
                        known.top = raw.topTokens(options.top).map { TokenLogprob(token: $0, logprob: raw.logProbability(of: $0)) }
                    }
                }
                tokenLogprobs = known
                logprobs.append(known)
            }
            let bytes = try generator.decoder?.bytes(for: token) ?? []
            let isEnd = generator.stopAtEndOfSequence && generator.model.specialTokens.isStop(token)
            let (delta, stop) = isEnd ? ("", nil) : text.append(bytes)
            pending.append(.token(GeneratedToken(token: token, bytes: bytes, text: delta, logprobs: tokenLogprobs)))
            if isEnd { return finish(.endOfSequence(token: token)) }
            if let stop { return finish(.stopString(stop)) }
            if generator.shouldStop?(generated) == true { return finish(.predicate) }
        }
        if generated.count >= generator.maxTokens { return finish(.maxTokens) }
    }

    /// Where a step's event goes: after its token events, before a finished event.
    private var stepEventIndex: Int {
        if let last = pending.last, case .finished = last { return pending.count - 1 }
        return pending.count
    }

    private mutating func finish(_ reason: StopReason) {
        let tail = text.flush()
        if !tail.isEmpty, let last = pending.indices.last, case .token(var token) = pending[last] {
            token.text += tail
            pending[last] = .token(token)
        }
        pending.append(.finished(GenerationResult(tokens: generated, text: text.text, stopReason: reason,
                                                  statistics: statistics, logprobs: logprobs)))
        done = true
    }
}
