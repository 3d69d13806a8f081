import Decoding
import Foundation
import GGUF
import Speculative
import Testing
import Transformer

/// Self-drafting by layer skipping on the real default model: the early-exit model
/// (`LlamaModel.earlyExit(layers:)`) is a `LanguageModel` sharing the target's weights, rejects
/// a layer count outside `1...layers − 1` with a typed error, and as a drafter leaves greedy
/// output exactly equal to greedy plain decoding (exactness of sampling with any drafter is
/// covered by the generic tests on the exact models).
@Suite(.enabled(if: DefaultModel.modelTestsEnabled))
struct LayerSkipTests {
    static func model() throws -> LlamaModel {
        let url = try #require(DefaultModel.locate(), "the default model is missing (set SKIP_MODEL_TESTS=1 to skip)")
        return try LlamaModel(file: GGUFFile(contentsOf: url), threads: 2)
    }

    @Test("an early exit keeps at least one layer and drops at least one")
    func invalidLayerCounts() throws {
        let model = try Self.model()
        for layers in [-1, 0, model.layerCount, model.layerCount + 5] {
            #expect(throws: TransformerError.invalidEarlyExit(layers: layers, layerCount: model.layerCount)) {
                try model.earlyExit(layers: layers)
            }
        }
        let shallow = try model.earlyExit(layers: 8)
        #expect(shallow.layerCount == 8)
        #expect(shallow.vocabularySize == model.vocabularySize)
        // Its own cache: a session of one model is foreign to the other.
        let session = try shallow.makeSession(prompt: [1, 2, 3])
        #expect(throws: LanguageModelError.foreignSession) { try model.appendBatch([session], tokens: [4]) }
        // Fewer layers give different logits than the full model on the same prompt.
        let full = try model.makeSession(prompt: [1, 2, 3])
        #expect(full.logits != session.logits)
    }

    @Test("greedy speculative decoding with a layer-skip drafter equals greedy plain decoding",
          arguments: [TreeShape.chain(length: 4), .dynamic(budget: 8, depth: 4)])
    func greedyLayerSkip(shape: TreeShape) throws {
        let model = try Self.model()
        let prompt = RealModelTests.prompt
        let count = 20
        let plain = try Generator(model: model, strategy: SamplingParameters.greedy.makeStrategy(), maxTokens: count)
            .run(prompt: prompt)
        let drafter = try ModelDrafter(model: model.earlyExit(layers: 12), targetVocabularySize: model.vocabularySize,
                                       transform: ProbabilityTransform(parameters: SamplingParameters(temperature: 1)))
        let strategy = try SpeculativeStrategy(target: model, drafter: drafter, tree: shape, sampling: .greedy)
        let (speculative, statistics) = try runSpeculative(model: model, strategy: strategy, prompt: prompt, maxTokens: count)
        #expect(speculative.tokens == plain.tokens)
        #expect(statistics.draftedNodes > 0)
    }
}
