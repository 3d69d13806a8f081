import Testing
import Transformer

/// Transformer errors describe themselves in sentences, not as Swift enum cases.
@Suite struct ErrorDescriptionTests {
    @Test(arguments: [
        (TransformerError.invalidThreadCount(0), "the thread count must be at least 1, got 0"),
        (TransformerError.unsupportedArchitecture("gpt2", supported: ["llama", "qwen2"]),
         "unsupported architecture gpt2; this runtime runs llama, qwen2"),
        (TransformerError.vocabularyMismatch(tensor: "output.weight", rows: 8, tokens: 9),
         "tensor output.weight has 8 rows, but the vocabulary has 9 tokens"),
        (TransformerError.invalidEarlyExit(layers: 30, layerCount: 30),
         "an early exit after 30 layers must keep at least one of the model's 30 layers and drop at least one (1...29)"),
    ])
    func errorIsASentence(error: TransformerError, sentence: String) {
        #expect("\(error)" == sentence)
    }
}
