import Constraints
import Decoding
import Strategies

/// Runs a strategy through ``Generator`` for `decode generate`: streams the text, times the
/// prefill and the steps, and returns the generator's result with the log-probabilities
/// `--json` prints and the final strategy's metrics.
struct GenerationPipeline {
    /// The model generating.
    let model: any LanguageModel
    /// Token bytes for text and stop strings.
    let decoder: any TokenDecoder
    /// The most tokens generated.
    let maxTokens: Int
    /// Stop strings.
    let stopStrings: [String]
    /// What to record of each token's probability (`nil`: nothing).
    let logprobs: LogprobOptions?

    /// What a run produced.
    struct Outcome {
        /// The generator's result (tokens, text, stop reason, summed step statistics).
        var result: GenerationResult
        /// Time to evaluate the prompt.
        var prefill: Duration
        /// Time spent in the strategy's steps.
        var decode: Duration
        /// Every generated token's log-probabilities under the model's raw distribution (empty
        /// unless recorded).
        var logprobs: [TokenLogprobs]
        /// The strategy's own counts after the last step.
        var metrics: StrategyMetrics
    }

    /// Generates after `prompt`, passing each piece of text to `emit` as it is released.
    ///
    /// - Throws: the generator's, the strategy's and the model's errors.
    func run<Strategy: DecodingStrategy>(_ strategy: Strategy, prompt: [Int], emit: (String) -> Void) throws -> Outcome {
        let generator = try Generator(model: model, strategy: strategy, decoder: decoder, maxTokens: maxTokens,
                                      stopStrings: stopStrings, logprobs: logprobs)
        let clock = ContinuousClock()
        let start = clock.now
        var iterator = try generator.makeIterator(prompt: prompt)
        let prefill = clock.now - start
        var result: GenerationResult?
        while let event = try iterator.next() {
            switch event {
            case .token(let token): if !token.text.isEmpty { emit(token.text) }
            case .step: break
            case .finished(let finished): result = finished
            }
        }
        let decode = clock.now - start - prefill
        guard let result else { preconditionFailure("a generation always ends with a finished event") }
        var tokenLogprobs = result.logprobs
        if let logprobs, tokenLogprobs.contains(where: { $0.model == nil }) {
            // Multi-token steps leave inner positions unknown: the model scores the continuation.
            tokenLogprobs = try model.logprobs(of: result.tokens, after: prompt, top: logprobs.top)
        }
        return Outcome(result: result, prefill: prefill, decode: decode, logprobs: tokenLogprobs,
                       metrics: iterator.strategy.metrics)
    }
}
