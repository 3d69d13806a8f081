import Constraints
import Decoding
import DecodingTestSupport
import Speculative
import Testing

/// Speculative decoding composed with a processor chain and with a constraint, on the exact
/// test model: the distribution of the first four generated tokens equals the one the
/// non-speculative strategy samples, enumerated exactly: χ² at p ≈ 10⁻⁶ (as in
/// ``ExactModelExactnessTests``) and TV within 2× the sampling noise. With the few cells these
/// constrained distributions have, TV's spread around its mean is wide (a 60 000-run check of
/// every case gave TV 0.3–1.3× the noise and unremarkable χ²), so 1.5× would fail by chance.
///
/// - a chain with penalties, top-k, top-p and temperature: plain sampling with that chain;
/// - a constraint's mask first in the chain (``SpeculativeStrategy/ConstraintForm/mask``):
///   locally constrained decoding, `p(t | prefix) · 1[t allowed]` renormalized, then the chain;
/// - the rejection form (``SpeculativeStrategy/ConstraintForm/rejection``): the chain, then the
///   constraint, renormalized (AWRS's distribution).
///
/// The prompt holds `.` and `,` where the constraints reject them, so prompt lookup drafts
/// tokens the constraint prunes.
struct ConstrainedSpeculativeExactnessTests {
    static let model = ExactTestModel(vocabularySize: 10, order: 2, seed: 7, spread: 4)  // a b ␠ . , C3 A9 c ! EOS
    static let draftModel = ExactTestModel(vocabularySize: 10, order: 1, seed: 31, spread: 6)
    static let prompt = [0, 3, 1, 2, 0, 4, 1, 2, 0, 3, 1, 2, 0]
    static let length = 4

    enum Source: String, CaseIterable, Sendable { case ngram, model }
    enum ConstraintName: String, CaseIterable, Sendable { case regex, grammar }
    enum Sampling: String, CaseIterable, Sendable {
        case plain, truncated
        var parameters: SamplingParameters {
            switch self {
            case .plain: return SamplingParameters(temperature: 0.9, topK: 0, topP: 1, minP: 0)
            case .truncated: return SamplingParameters(temperature: 0.8, topK: 4, topP: 0.9, minP: 0)
            }
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let constraint: ConstraintName
        let form: SpeculativeStrategy.ConstraintForm
        let sampling: Sampling
        let source: Source
        var testDescription: String { "\(constraint) \(form) \(sampling) \(source)" }
    }

    /// The mask form under both chains; the rejection form without truncation (truncation before
    /// the constraint can leave no allowed token, a dead end, on this tiny vocabulary).
    static let cases = ConstraintName.allCases.flatMap { constraint in
        Source.allCases.flatMap { source in
            [Case(constraint: constraint, form: .mask, sampling: .plain, source: source),
             Case(constraint: constraint, form: .mask, sampling: .truncated, source: source),
             Case(constraint: constraint, form: .rejection, sampling: .plain, source: source)]
        }
    }

    /// The constraint's mask, its generated text starting after the prompt (given, since a
    /// drafter's pruning may see a longer sequence first).
    static func mask(_ name: ConstraintName) throws -> any LogitProcessor {
        let table = TokenBytes(model.tokenBytes)
        switch name {
        case .regex:
            var mask = try ConstraintMask(constraint: try RegexConstraint(pattern: "(a|b )+(é|,)?"), table: table,
                                          stopTokens: [model.eos])
            mask.begin(at: prompt.count)
            return mask
        case .grammar:
            var mask = try ConstraintMask(constraint: try GrammarConstraint(gbnf: #"root ::= [ab]+ ( " " [ab]+ )* ( "é" | "." )"#),
                                          table: table, stopTokens: [model.eos])
            mask.begin(at: prompt.count)
            return mask
        }
    }

    static func drafter(_ source: Source) throws -> any Drafter {
        switch source {
        case .ngram: return try NGramDrafter(minimumOrder: 1, maximumOrder: 3)
        case .model:
            return try ModelDrafter(model: draftModel, targetVocabularySize: model.vocabularySize,
                                    transform: ProbabilityTransform(chain: Sampling.plain.parameters.makeChain()))
        }
    }

    static func histogram(runs: Int, _ make: (UInt64) throws -> SpeculativeStrategy) throws -> [[Int]: Int] {
        var histogram: [[Int]: Int] = [:]
        for seed in 0..<UInt64(runs) {
            let result = try Generator(model: model, strategy: make(seed), maxTokens: length).run(prompt: prompt)
            histogram[result.tokens, default: 0] += 1
        }
        return histogram
    }

    @Test("constrained speculative decoding samples the constrained distribution exactly", arguments: cases)
    func constrained(_ testCase: Case) throws {
        let mask = try Self.mask(testCase.constraint)
        let chain = try testCase.sampling.parameters.makeChain()
        // The mask form masks first (truncation sees only allowed tokens); the rejection form
        // checks the chain's draws, which is the chain followed by the mask.
        let exactChain = testCase.form == .mask ? LogitProcessorChain([mask] + chain.processors)
                                                : LogitProcessorChain(chain.processors + [mask])
        let runs = 8000
        let histogram = try Self.histogram(runs: runs) { seed in
            try SpeculativeStrategy(target: Self.model, drafter: Self.drafter(testCase.source), tree: .dynamic(budget: 8, depth: 4),
                                    chain: LogitProcessorChain([mask] + chain.processors), constraintForm: testCase.form,
                                    seed: seed)
        }
        let exact = try Self.model.continuationDistribution(after: Self.prompt, length: Self.length, chain: exactChain)
        let comparison = Comparison(histogram: histogram, exact: exact, samples: runs)
        print("constrained speculative \(testCase.testDescription): \(comparison)")
        #expect(comparison.chiSquare < comparison.chiSquareBound, "\(comparison)")
        #expect(comparison.totalVariation < 2 * comparison.expectedTotalVariation, "\(comparison)")
        #expect(Set(histogram.keys).isSubset(of: Set(exact.keys)), "every output is a valid prefix")
    }

    @Test("constrained greedy speculative decoding takes the most likely allowed token at every step",
          arguments: ConstraintName.allCases, [SpeculativeStrategy.ConstraintForm.mask, .rejection])
    func constrainedGreedy(constraint: ConstraintName, form: SpeculativeStrategy.ConstraintForm) throws {
        let mask = try Self.mask(constraint)
        let greedy = try SamplingParameters.greedy.makeChain()
        let plain = try Generator(model: Self.model, strategy: SamplingStrategy(chain: LogitProcessorChain([mask]), sampler: GreedySampler()),
                                  maxTokens: 12).run(prompt: Self.prompt)
        for source in Source.allCases {
            let strategy = try SpeculativeStrategy(target: Self.model, drafter: Self.drafter(source), tree: .dynamic(budget: 8, depth: 4),
                                                   chain: LogitProcessorChain([mask] + greedy.processors), constraintForm: form, seed: 1)
            let speculative = try Generator(model: Self.model, strategy: strategy, maxTokens: 12).run(prompt: Self.prompt)
            #expect(speculative.tokens == plain.tokens, "\(source)")
        }
    }

    @Test("speculative decoding with penalties, top-k, top-p and temperature samples that chain exactly",
          arguments: Source.allCases)
    func processorChain(source: Source) throws {
        let parameters = SamplingParameters(temperature: 0.8, topK: 5, topP: 0.9, minP: 0, repeatPenalty: 1.4)
        let runs = 3000
        let histogram = try Self.histogram(runs: runs) { seed in
            try SpeculativeStrategy(target: Self.model, drafter: Self.drafter(source), tree: .staticTree(branching: [3, 2, 1]),
                                    chain: parameters.makeChain(), seed: seed)
        }
        let exact = try Self.model.continuationDistribution(after: Self.prompt, length: Self.length, chain: parameters.makeChain())
        let comparison = Comparison(histogram: histogram, exact: exact, samples: runs)
        print("speculative with a processor chain, \(source): \(comparison)")
        #expect(comparison.chiSquare < comparison.chiSquareBound, "\(comparison)")
        #expect(comparison.totalVariation < comparison.totalVariationBound, "\(comparison)")
    }
}
