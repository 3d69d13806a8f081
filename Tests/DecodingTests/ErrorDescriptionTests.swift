import Decoding
import Testing

/// Language-model errors describe themselves in sentences, not as Swift enum cases.
@Suite struct ErrorDescriptionTests {
    @Test(arguments: [
        (LanguageModelError.emptyPrompt, "a session cannot start from an empty prompt"),
        (LanguageModelError.contextFull(limit: 8192, requested: 8200),
         "the sequence would need 8200 positions; the context window holds 8192"),
        (LanguageModelError.invalidTree(reason: "node 2 has no parent"), "invalid token tree: node 2 has no parent"),
    ])
    func errorIsASentence(error: LanguageModelError, sentence: String) {
        #expect("\(error)" == sentence)
    }
}
