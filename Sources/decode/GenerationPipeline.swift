import Constraints
import Decoding
import Foundation
import Strategies

/// Runs an ``ObservedStrategy`` through ``Generator`` for `decode generate`: streams the text,
/// times the prefill and the steps, and collects the log-probabilities `--json` prints.
struct GenerationPipeline {
    /// The model generating.
    let model: any LanguageModel
    /// Token bytes for text and stop strings.
    let table: TokenBytes
    /// The most tokens generated.
    let maxTokens: Int
    /// Stop strings.
    let stopStrings: [String]

    /// What a run produced.
    struct Outcome {
        /// The generator's result (tokens, text, stop reason, summed step statistics).
        var result: GenerationResult
        /// Time to evaluate the prompt.
        var prefill: Duration
        /// Time spent in the strategy's steps.
        var decode: Duration
        /// `log p` of every generated token under the model's raw distribution (empty unless recorded).
        var logprobs: [Double]
        /// The most likely tokens at every position, with their log-probabilities (empty unless asked).
        var topLogprobs: [[(token: Int, logprob: Double)]]
    }

    /// Generates after `prompt`, passing each piece of text to `emit` as it is released.
    ///
    /// - Throws: the generator's, the strategy's and the model's errors.
    func run(_ strategy: ObservedStrategy, prompt: [Int], emit: (String) -> Void) throws -> Outcome {
        let probe = strategy.probe
        let generator = try Generator(model: model, strategy: strategy, decoder: ClosureTokenDecoder(table: table.pieces),
                                      maxTokens: maxTokens, stopStrings: stopStrings)
        let clock = ContinuousClock()
        let start = clock.now
        var iterator = try generator.makeIterator(prompt: prompt)
        let prefill = clock.now - start
        var result: GenerationResult?
        while let event = try iterator.next() {
            switch event {
            case .token(let token): if !token.text.isEmpty { emit(token.text) }
            case .finished(let finished): result = finished
            }
        }
        let decode = clock.now - start - prefill
        guard let result else { preconditionFailure("a generation always ends with a finished event") }
        var outcome = Outcome(result: result, prefill: prefill, decode: decode, logprobs: [], topLogprobs: [])
        if probe.recordsLogprobs {
            if probe.coversEveryToken {
                outcome.logprobs = probe.firstLogprobs
                outcome.topLogprobs = probe.firstTopLogprobs
            } else {
                (outcome.logprobs, outcome.topLogprobs) = try rescore(prompt: prompt, tokens: result.tokens,
                                                                      top: probe.topLogprobCount)
            }
        }
        return outcome
    }

    /// The model's log-probabilities of `tokens` after `prompt`, one evaluation per token (for
    /// strategies that emit several tokens per step, whose inner positions the probe never sees).
    private func rescore(prompt: [Int], tokens: [Int], top: Int) throws
        -> ([Double], [[(token: Int, logprob: Double)]]) {
        let session = try model.makeSession(prompt: prompt)
        var logprobs: [Double] = []
        var tops: [[(token: Int, logprob: Double)]] = []
        for (index, token) in tokens.enumerated() {
            let row = try Logits(session.logits).logProbabilities
            logprobs.append(Double(row[token]))
            if top > 0 { tops.append(StrategyProbe.top(row, top)) }
            if index + 1 < tokens.count { try session.append([token]) }
        }
        return (logprobs, tops)
    }
}

/// Whether a constrained generation's output is in the constraint's language.
struct ConstraintVerdict: Encodable {
    /// The text (stop tokens left out) can still be extended to an accepted text.
    let valid: Bool
    /// The text is a complete member of the language (the constraint may stop after it).
    let complete: Bool
    /// For a JSON Schema: whether the text parses as JSON.
    let jsonParses: Bool?

    enum CodingKeys: String, CodingKey {
        case valid, complete
        case jsonParses = "json_parses"
    }

    /// Checks the bytes of `tokens` (stop tokens left out) against `constraint`.
    ///
    /// - Throws: the constraint's ``ConstraintError`` (a state limit).
    init(_ constraint: CompiledConstraint, tokens: [Int], table: TokenBytes, stopTokens: Set<Int>) throws {
        let bytes = tokens.filter { !stopTokens.contains($0) && $0 >= 0 && $0 < table.count }.flatMap { table[$0] }
        let state: (valid: Bool, complete: Bool)
        var parses: Bool?
        switch constraint {
        case .regex(let regex): state = try Self.check(regex, bytes)
        case .grammar(let grammar, let schema):
            state = try Self.check(grammar, bytes)
            if schema != nil { parses = (try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) != nil }
        }
        valid = state.valid
        complete = state.complete
        jsonParses = parses
    }

    private static func check<C: Constraint>(_ constraint: C, _ bytes: [UInt8]) throws -> (valid: Bool, complete: Bool) {
        guard let state = try constraint.advance(constraint.start, by: bytes) else { return (false, false) }
        return (true, constraint.canStop(state))
    }
}
