import Constraints
import Decoding
import DecodingTestSupport
import Search
import Strategies
import Testing

/// The registry builds every strategy of the language on the exact test model; the
/// constrained ones need a constraint and keep to it; the compositions not supported yet are
/// refused with typed errors.
@Suite("StrategyRegistry")
struct StrategyRegistryTests {
    static func context(_ model: ExactTestModel, prompt: [Int], seed: UInt64 = 3) throws -> StrategyContext {
        try StrategyContext(model: model, decoder: model, chain: SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0,
                                                                                     seed: seed).makeChain(),
                            seed: seed, promptLength: prompt.count)
    }

    static func generate(_ strategy: any DecodingStrategy, model: ExactTestModel, prompt: [Int],
                         maxTokens: Int = 6) throws -> GenerationResult {
        func run<S: DecodingStrategy>(_ strategy: S) throws -> GenerationResult {
            var iterator = try Generator(model: model, strategy: strategy, decoder: model, maxTokens: maxTokens)
                .makeIterator(prompt: prompt)
            var result: GenerationResult?
            while let event = try iterator.next() {
                if case .finished(let finished) = event { result = finished }
            }
            return try #require(result)
        }
        return try run(strategy)
    }

    @Test("every unconstrained strategy builds and generates",
          arguments: ["greedy", "sample", "cautious", "best-of-n:3", "vote:3", "beam:2", "diverse", "lookahead:2"])
    func buildsUnconstrained(text: String) throws {
        let model = ExactTestModel(vocabularySize: 12, seed: 5)
        let prompt = [0, 1]
        let specification = try StrategySpecification(parsing: text)
        let strategy = try StrategyRegistry.makeStrategy(specification, context: try Self.context(model, prompt: prompt))
        let result = try Self.generate(strategy, model: model, prompt: prompt)
        #expect(!result.tokens.isEmpty)
        #expect(result.tokens.allSatisfy { (0..<model.vocabularySize).contains($0) })
    }

    @Test("greedy takes the argmax of the raw logits at every step")
    func greedyIsArgmax() throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 2)
        let prompt = [0]
        let strategy = try StrategyRegistry.makeStrategy(StrategySpecification(.greedy), context: try Self.context(model, prompt: prompt))
        let result = try Self.generate(strategy, model: model, prompt: prompt, maxTokens: 4)
        var context = prompt
        for token in result.tokens {
            let logits = model.logits(after: context)
            #expect(token == logits.indices.max { logits[$0] < logits[$1] })
            context.append(token)
        }
    }

    @Test("a constrained strategy without a constraint is a typed error", arguments: ["lcd", "awrs", "smc:4"])
    func constrainedNeedsConstraint(text: String) throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 1)
        let specification = try StrategySpecification(parsing: text)
        #expect(throws: StrategyRegistryError.needsConstraint(strategy: text)) {
            try StrategyRegistry.makeStrategy(specification, context: try Self.context(model, prompt: [0]))
        }
        #expect(StrategyRegistryError.needsConstraint(strategy: text).description
                == "strategy '\(text)' needs a constraint (a regular expression, a grammar or a JSON Schema)")
    }

    @Test("constrained strategies keep to the task's regex", arguments: ["lcd", "awrs", "smc:4"])
    func constrainedKeepsToRegex(text: String) throws {
        let model = ExactTestModel(vocabularySize: 12, seed: 7)
        let prompt = [2]
        var context = try Self.context(model, prompt: prompt)
        context.constraint = try CompiledConstraint(regex: "[ab]{2,4}")
        #expect(context.constraint?.kindName == "regex")
        for seed: UInt64 in 0..<4 {
            context.seed = seed
            let strategy = try StrategyRegistry.makeStrategy(StrategySpecification(parsing: text), context: context)
            let result = try Self.generate(strategy, model: model, prompt: prompt, maxTokens: 8)
            // Checked by hand, not by the constraint: 2 to 4 bytes, each 'a' or 'b', then EOS or the end.
            let text = result.tokens.filter { $0 != model.eos }.flatMap { model.tokenBytes[$0] }
            #expect((2...4).contains(text.count), "\(result.tokens)")
            #expect(text.allSatisfy { $0 == UInt8(ascii: "a") || $0 == UInt8(ascii: "b") }, "\(result.tokens)")
        }
    }

    static let compositionCases: [(text: String, constrained: Bool, speculative: Bool, error: StrategyRegistryError?)] = [
        ("sample", false, false, nil),
        ("beam:4", false, false, nil),
        ("awrs", true, false, nil),
        ("smc:4", true, false, nil),
        ("sample", false, true, nil),
        ("lcd", false, false, .needsConstraint(strategy: "lcd")),
        ("cautious", true, false, .unsupportedComposition(strategy: "cautious", with: "a constraint")),
        ("beam:4", true, false, .unsupportedComposition(strategy: "beam:4", with: "a constraint")),
        ("cautious", false, true, .unsupportedComposition(strategy: "cautious", with: "speculative decoding")),
        ("awrs", true, true, .unsupportedComposition(strategy: "awrs", with: "speculative decoding")),
    ]

    @Test("compositions not supported yet are refused before anything loads", arguments: compositionCases)
    func compositions(text: String, constrained: Bool, speculative: Bool, error: StrategyRegistryError?) throws {
        let specification = try StrategySpecification(parsing: text)
        if let error {
            #expect(throws: error) {
                try StrategyRegistry.checkComposition(specification, constrained: constrained, speculative: speculative)
            }
            if case .unsupportedComposition = error { #expect(error.description.hasSuffix("is not supported yet")) }
        } else {
            try StrategyRegistry.checkComposition(specification, constrained: constrained, speculative: speculative)
        }
    }
}
