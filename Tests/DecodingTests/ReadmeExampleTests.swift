import Testing
import Decoding
import DecodingTestSupport

/// The README's "your own loop" example, kept compiling and working.
@Suite struct ReadmeExampleTests {
    @Test func samplerAndChainInYourOwnLoop() throws {
        let model = ExactTestModel(vocabularySize: 8, seed: 2)
        let session = try model.makeSession(prompt: [0, 1])
        // --- README example ---
        var chain = try SamplingParameters(temperature: 0.7, topK: 40, topP: 0.9).makeChain()
        var sampler = CategoricalSampler(seed: 42)
        for _ in 0..<16 {
            var logits = try Logits(session.logits)
            try chain.apply(to: &logits, history: session.tokens)
            let token = sampler.sample(logits)
            if model.specialTokens.isStop(token) { break }
            try session.append([token])
        }
        // --- end ---
        #expect(session.count > 2)
    }
}
