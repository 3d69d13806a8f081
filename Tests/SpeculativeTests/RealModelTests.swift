import Decoding
import Foundation
import GGUF
import Speculative
import Testing
import Transformer

/// Speculative decoding on the real default model (SmolLM2-135M-Instruct Q4_1) with prompt
/// lookup: the runtime's tree evaluation is bit-identical to step-by-step evaluation, so greedy
/// speculative output must equal greedy plain output token for token, and on a prompt that repeats
/// code, prompt lookup must get draft tokens accepted.
@Suite(.enabled(if: DefaultModel.modelTestsEnabled))
struct RealModelTests {
    /// `def fib(n):\n    return n if n < 2 else fib(n-1) + fib(n-2)\n` (llama.cpp's tokenization), twice.
    static let code = [1604, 3987, 24, 94, 727, 472, 1003, 304, 585, 304, 2067, 216, 34, 1745, 3987, 24, 94, 29, 33, 25,
                       1232, 3987, 24, 94, 29, 34, 25, 198]
    static let prompt = code + code + Array(code.prefix(6))

    @Test("greedy speculative decoding with prompt lookup equals greedy plain decoding")
    func greedyPromptLookup() throws {
        let url = try #require(DefaultModel.locate(), "the default model is missing (set SKIP_MODEL_TESTS=1 to skip)")
        let model = try LlamaModel(file: GGUFFile(contentsOf: url), threads: 2)
        let count = 24
        let plainStart = ContinuousClock.now
        let plain = try Generator(model: model, strategy: SamplingParameters.greedy.makeStrategy(), maxTokens: count)
            .run(prompt: Self.prompt)
        let plainTime = ContinuousClock.now - plainStart
        var configuration = SpeculativeConfiguration(drafter: .ngram(minimumOrder: 1, maximumOrder: 4),
                                                     tree: .dynamic(budget: 8, depth: 6))
        configuration.sampling = .greedy
        let speculativeStart = ContinuousClock.now
        let (speculative, statistics) = try runSpeculative(
            model: model, strategy: SpeculativeStrategy(target: model, configuration: configuration),
            prompt: Self.prompt, maxTokens: count)
        let speculativeTime = ContinuousClock.now - speculativeStart
        print("real model, prompt lookup: \(statistics.steps) steps for \(speculative.tokens.count) tokens, "
              + "\(statistics.acceptedTokens) accepted of \(statistics.draftedNodes) drafted; "
              + "plain \(plainTime), speculative \(speculativeTime)")
        #expect(speculative.tokens == plain.tokens)
        #expect(statistics.acceptedTokens > 0)
        #expect(statistics.steps < speculative.tokens.count)
    }
}
