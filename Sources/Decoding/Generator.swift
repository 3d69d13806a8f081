/// Drives any ``DecodingStrategy`` until a stop: the token budget, EOS or an end-of-turn token
/// from the model's ``SpecialTokens``, a stop string (matched on bytes, through a
/// ``TokenDecoder``), the context window, a caller's predicate, or Task cancellation.
///
/// Results come as a plain synchronous iterator (``makeIterator(prompt:)``), as an
/// `AsyncSequence` (``events(prompt:)``), or all at once (``run(prompt:)``). Each step's tokens
/// are followed by a ``GenerationEvent/step(_:)`` event; with ``logprobs`` every token carries
/// its ``TokenLogprobs``; the synchronous iterator's ``GenerationIterator/strategy`` is the
/// strategy as the last step left it (its ``DecodingStrategy/metrics``).
///
/// ```swift
/// let strategy = try SamplingParameters(temperature: 0.7, seed: 1).makeStrategy()
/// let generator = try Generator(model: model, strategy: strategy, decoder: tokenizer,
///                               maxTokens: 128, stopStrings: ["\n\n"])
/// for try await event in generator.events(prompt: promptTokens) {
///     if case .token(let token) = event { print(token.text, terminator: "") }
/// }
/// ```
public struct Generator<Strategy: DecodingStrategy> {
    /// The model generating.
    public let model: any LanguageModel
    /// The strategy (copied into each iteration, so runs do not share state).
    public var strategy: Strategy
    /// Turns tokens into bytes for text and stop strings; without one, texts are empty.
    public let decoder: (any TokenDecoder)?
    /// The most tokens generated.
    public let maxTokens: Int
    /// Strings that end generation when they appear in the text.
    public let stopStrings: [String]
    /// Whether EOS and end-of-turn tokens stop generation.
    public let stopAtEndOfSequence: Bool
    /// What to record of each token's probability (``TokenLogprobs``); `nil`: nothing.
    public let logprobs: LogprobOptions?
    /// Called with all generated tokens after each token; `true` stops.
    public let shouldStop: (@Sendable ([Int]) -> Bool)?

    /// A generator; checks the options.
    ///
    /// - Throws: ``GenerationError/invalidMaxTokens(_:)``, ``GenerationError/emptyStopString(index:)``,
    ///   ``GenerationError/stopStringsNeedDecoder``.
    public init(model: any LanguageModel, strategy: Strategy, decoder: (any TokenDecoder)? = nil,
                maxTokens: Int, stopStrings: [String] = [], stopAtEndOfSequence: Bool = true,
                logprobs: LogprobOptions? = nil, shouldStop: (@Sendable ([Int]) -> Bool)? = nil) throws {
        guard maxTokens > 0 else { throw GenerationError.invalidMaxTokens(maxTokens) }
        if let index = stopStrings.firstIndex(where: \.isEmpty) { throw GenerationError.emptyStopString(index: index) }
        if !stopStrings.isEmpty && decoder == nil { throw GenerationError.stopStringsNeedDecoder }
        self.model = model
        self.strategy = strategy
        self.decoder = decoder
        self.maxTokens = maxTokens
        self.stopStrings = stopStrings
        self.stopAtEndOfSequence = stopAtEndOfSequence
        self.logprobs = logprobs
        self.shouldStop = shouldStop
    }

    /// A synchronous iterator over the events of generating after `prompt` (evaluates the
    /// prompt now).
    ///
    /// - Throws: the model's errors for the prompt (empty, too long, bad ids).
    public func makeIterator(prompt: [Int]) throws -> GenerationIterator<Strategy> {
        GenerationIterator(generator: self, session: try model.makeSession(prompt: prompt))
    }

    /// A synchronous iterator continuing an existing `session` (which it will advance).
    public func makeIterator(session: any ModelSession) -> GenerationIterator<Strategy> {
        GenerationIterator(generator: self, session: session)
    }

    /// Generates to the end and returns the result.
    public func run(prompt: [Int]) throws -> GenerationResult {
        var iterator = try makeIterator(prompt: prompt)
        while let event = try iterator.next() {
            if case .finished(let result) = event { return result }
        }
        preconditionFailure("a generation iterator always ends with a finished event")
    }

    /// The events as an `AsyncSequence`; the prompt is evaluated on the first `next()`.
    public func events(prompt: [Int]) -> GenerationEvents<Strategy> {
        GenerationEvents(generator: self, prompt: prompt)
    }
}

/// The `AsyncSequence` of a ``Generator``'s events. Each step runs on the calling task and
/// yields between steps; cancelling the task ends generation with ``StopReason/cancelled``
/// before the next step.
public struct GenerationEvents<Strategy: DecodingStrategy>: AsyncSequence {
    /// Events.
    public typealias Element = GenerationEvent
    let generator: Generator<Strategy>
    let prompt: [Int]

    /// An iterator that evaluates the prompt on its first `next()`.
    public func makeAsyncIterator() -> Iterator {
        Iterator(generator: generator, prompt: prompt)
    }

    /// Iterates the events.
    public struct Iterator: AsyncIteratorProtocol {
        let generator: Generator<Strategy>
        let prompt: [Int]
        var inner: GenerationIterator<Strategy>?

        /// The next event, `nil` after the finished event.
        public mutating func next() async throws -> GenerationEvent? {
            if inner == nil { inner = try generator.makeIterator(prompt: prompt) }
            await Task.yield()
            return try inner?.next()
        }
    }
}
