import Constraints
import Decoding
import DecodingTestSupport
import Foundation
import Search
import Strategies
import Testing

/// The registry builds every strategy of the language on the exact test model; the
/// constrained ones need a constraint and keep to it; the compositions that cannot be exact are
/// refused with typed errors that say why.
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

    /// Checks by hand, not by the constraint, that `result` is in `[ab]{2,4}`: 2 to 4 bytes, each
    /// 'a' or 'b', then (when `endsWithEOS`) the end-of-sequence token.
    static func expectInLanguage(_ result: GenerationResult, model: ExactTestModel, endsWithEOS: Bool) {
        let text = result.tokens.filter { $0 != model.eos }.flatMap { model.tokenBytes[$0] }
        #expect((2...4).contains(text.count), "\(result.tokens)")
        #expect(text.allSatisfy { $0 == UInt8(ascii: "a") || $0 == UInt8(ascii: "b") }, "\(result.tokens)")
        if endsWithEOS { #expect(result.tokens.last == model.eos, "\(result.tokens)") }
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
            Self.expectInLanguage(result, model: model, endsWithEOS: false)
        }
    }

    @Test("every composition under a constraint keeps to the task's regex",
          arguments: ["greedy+lcd", "cautious+lcd", "cautious+lcd+draft:ngram", "best-of-n:3+lcd", "vote:3+lcd", "beam:2+lcd", "diverse+lcd",
                      "lookahead:2+lcd", "lcd+draft:ngram", "lcd+draft:model", "greedy+lcd+draft:ngram",
                      "awrs+draft:ngram", "awrs+draft:model"])
    func compositionsKeepToRegex(text: String) throws {
        let model = ExactTestModel(vocabularySize: 12, seed: 7)
        let prompt = [0, 1, 0, 1, 0, 2, 0]
        var context = try Self.context(model, prompt: prompt)
        context.constraint = try CompiledConstraint(regex: "[ab]{2,4}")
        context.draftModel = ExactTestModel(vocabularySize: 12, order: 1, seed: 40)
        for seed: UInt64 in 0..<6 {
            context.seed = seed
            let strategy = try StrategyRegistry.makeStrategy(StrategySpecification(parsing: text), context: context)
            let result = try Self.generate(strategy, model: model, prompt: prompt, maxTokens: 8)
            Self.expectInLanguage(result, model: model, endsWithEOS: true)
        }
    }

    @Test("every candidate of a constrained search is in the language, finished ones complete",
          arguments: ["best-of-n:4+lcd", "vote:4+lcd", "beam:3+lcd", "diverse+lcd", "lookahead:2+lcd"])
    func searchCandidatesAreValid(text: String) throws {
        let model = ExactTestModel(vocabularySize: 12, seed: 9)
        let prompt = [3, 4]
        var context = try Self.context(model, prompt: prompt)
        context.constraint = try CompiledConstraint(regex: "(ab|b)+a?")
        let language = try NSRegularExpression(pattern: "^(ab|b)+a?$")
        var checked = 0
        for seed: UInt64 in 0..<4 {
            context.seed = seed
            var strategy = try StrategyRegistry.makeStrategy(StrategySpecification(parsing: text), context: context)
            var session = try model.makeSession(prompt: prompt)
            _ = try strategy.step(&session, context: StepContext(model: model, remainingTokens: 10))
            let result: SearchResult? = (strategy as? BestOfNStrategy)?.lastResult ?? (strategy as? BeamSearchStrategy)?.lastResult
                ?? (strategy as? DiverseSearchStrategy)?.lastResult
            let candidates = try #require(result?.candidates)
            for candidate in candidates {
                let bytes = candidate.tokens.filter { $0 != model.eos }.flatMap { model.tokenBytes[$0] }
                let text = String(decoding: bytes, as: UTF8.self)
                // A prefix of the language: only a and b, never two a's in a row.
                #expect(bytes.allSatisfy { $0 == UInt8(ascii: "a") || $0 == UInt8(ascii: "b") }, "\(text)")
                #expect(!text.contains("aa"), "\(text)")
                if candidate.tokens.last == model.eos {
                    let range = NSRange(text.startIndex..., in: text)
                    #expect(language.firstMatch(in: text, range: range) != nil, "finished \(text)")
                }
                checked += 1
            }
        }
        #expect(checked > 0)
    }

    static let compositionCases: [(text: String, constrained: Bool, error: StrategyRegistryError?)] = [
        ("sample", false, nil),
        ("beam:4", false, nil),
        ("awrs", true, nil),
        ("smc:4", true, nil),
        ("sample+draft:ngram", false, nil),
        ("greedy+draft:model", false, nil),
        ("cautious+lcd", true, nil),
        ("beam:4+lcd", true, nil),
        ("lookahead:2+lcd", true, nil),
        ("lcd+draft:ngram", true, nil),
        ("awrs+draft:model", true, nil),
        ("cautious+draft:ngram", false, nil),
        ("cautious+lcd+draft:model", true, nil),
        ("lcd", false, .needsConstraint(strategy: "lcd")),
        ("cautious+lcd", false, .needsConstraint(strategy: "cautious+lcd")),
        ("lcd+draft:ngram", false, .needsConstraint(strategy: "lcd+draft:ngram")),
    ]

    @Test("constrained strategies need a constraint; the exact compositions pass", arguments: compositionCases)
    func compositions(text: String, constrained: Bool, error: StrategyRegistryError?) throws {
        let specification = try StrategySpecification(parsing: text)
        if let error {
            #expect(throws: error) { try StrategyRegistry.checkComposition(specification, constrained: constrained) }
        } else {
            try StrategyRegistry.checkComposition(specification, constrained: constrained)
        }
    }

    static let refusals: [(text: String, reason: String)] = [
        ("best-of-n:4+draft:ngram", "one batched evaluation per position"),
        ("beam:2+lcd+draft:ngram", "one batched evaluation per position"),
        ("smc:4+draft:ngram", "particles would not be aligned"),
    ]

    @Test("compositions that cannot be composed exactly are typed errors that say why", arguments: refusals)
    func refusal(text: String, reason: String) throws {
        let specification = try StrategySpecification(parsing: text)
        let model = ExactTestModel(vocabularySize: 8, seed: 1)
        var context = try Self.context(model, prompt: [0])
        context.constraint = try CompiledConstraint(regex: "[ab]+")
        context.draftModel = model
        do {
            _ = try StrategyRegistry.makeStrategy(specification, context: context)
            Issue.record("\(text) was built")
        } catch let error as StrategyRegistryError {
            guard case .unsupportedComposition(let strategy, let other, _) = error else {
                Issue.record("\(text): \(error)")
                return
            }
            #expect(strategy == text)
            #expect(other == "speculative decoding")
            #expect(error.description.hasPrefix("strategy '\(text)' cannot run with speculative decoding: "))
            #expect(error.description.contains(reason), "\(error)")
        }
    }

    @Test("+draft:model without a draft model is a typed error")
    func draftModelNeeded() throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 1)
        let specification = try StrategySpecification(parsing: "sample+draft:model")
        #expect(throws: StrategyRegistryError.needsDraftModel(strategy: "sample+draft:model")) {
            try StrategyRegistry.makeStrategy(specification, context: try Self.context(model, prompt: [0]))
        }
        #expect(StrategyRegistryError.needsDraftModel(strategy: "sample+draft:model").description
                == "strategy 'sample+draft:model' needs a draft model with the target's vocabulary")
    }
}
