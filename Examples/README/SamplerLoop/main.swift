import Decoding
import DecodingTestSupport

// Any LanguageModel session (or logits from another runtime); here a tiny exact test model.
let model = ExactTestModel(vocabularySize: 8, seed: 2)
let session = try model.makeSession(prompt: [0, 1])

var chain = try SamplingParameters(temperature: 0.7, topK: 40, topP: 0.9).makeChain()
var sampler = CategoricalSampler(seed: 42)
for _ in 0..<16 {
    var logits = try Logits(session.logits)                 // [Float] from any runtime
    try chain.apply(to: &logits, history: session.tokens)   // penalties;top_k;typ_p;top_p;min_p;temperature
    let token = sampler.sample(logits)
    if model.specialTokens.isStop(token) { break }
    try session.append([token])
}
print(session.tokens)
