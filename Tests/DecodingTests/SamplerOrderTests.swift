import Testing
import Decoding

@Suite struct SamplerOrderTests {
    @Test func parsesLlamaCppOrderStrings() throws {
        #expect(try SamplerStage.parseOrder("penalties;top_k;typ_p;top_p;min_p;temperature") == SamplerStage.defaultOrder)
        #expect(try SamplerStage.parseOrder("temp;top-k") == [.temperature, .topK])
        #expect(throws: SamplingError.emptyOrder) { try SamplerStage.parseOrder("") }
        #expect(throws: SamplingError.emptyOrder) { try SamplerStage.parseOrder("  ") }
    }

    @Test func rejectsUnknownAndDuplicateNames() {
        #expect(throws: SamplingError.unknownStage("top_q", valid: ["penalties", "top_k", "typ_p", "top_p", "min_p", "temperature"])) {
            try SamplerStage.parseOrder("top_k;top_q")
        }
        #expect(throws: SamplingError.unknownStage("", valid: SamplerStage.validNames)) { try SamplerStage.parseOrder("top_k;;min_p") }
        #expect(throws: SamplingError.duplicateStage("top_p")) { try SamplerStage.parseOrder("top_p;nucleus") }
        let message = String(describing: SamplingError.unknownStage("x", valid: SamplerStage.validNames))
        #expect(message.contains("penalties, top_k, typ_p, top_p, min_p, temperature"))
    }

    @Test func parametersBuildTheConfiguredChain() throws {
        #expect(try SamplingParameters().makeChain().name == "top_k;top_p;min_p;temperature")
        var parameters = SamplingParameters(typicalP: 0.9, repeatPenalty: 1.1, logitBias: [1: 2], bannedTokens: [0])
        #expect(try parameters.makeChain().name == "logit_bias;banned;penalties;top_k;typ_p;top_p;min_p;temperature")
        parameters.order = try SamplerStage.parseOrder("temperature;min_p")
        #expect(try parameters.makeChain().name == "logit_bias;banned;temperature;min_p")
        #expect(try SamplingParameters.greedy.makeChain().name == "temperature")
    }

    @Test func parametersValidateEveryField() {
        #expect(throws: SamplingError.invalidParameter("topK must be non-negative (0 disables), got -1")) {
            try SamplingParameters(topK: -1).makeChain()
        }
        // A bad value is reported even when its stage is not in the order.
        #expect(throws: SamplingError.invalidParameter("topP must be in (0, 1], got 2.0")) {
            try SamplingParameters(topP: 2, order: [.temperature]).makeChain()
        }
        #expect(throws: SamplingError.invalidParameter("frequencyPenalty must be finite and non-negative, got -1.0")) {
            try SamplingParameters(frequencyPenalty: -1).makeChain()
        }
    }

    /// The order changes the result: temperature before min-p changes which tokens survive.
    @Test func orderIsRespected() throws {
        let row = try logits(fromProbabilities: [0.1, 0.2, 0.3, 0.4])
        var truncateFirst = try SamplingParameters(temperature: 3, topK: 0, topP: 1, minP: 0.3,
                                                   order: [.minP, .temperature]).makeChain()
        var temperatureFirst = try SamplingParameters(temperature: 3, topK: 0, topP: 1, minP: 0.3,
                                                      order: [.temperature, .minP]).makeChain()
        #expect(try truncateFirst.processed(row, history: []).unmaskedCount == 3)
        #expect(try temperatureFirst.processed(row, history: []).unmaskedCount == 4)
    }
}
