import Speculative
import Testing

/// Speculative errors describe themselves in sentences, not as Swift enum cases.
@Suite struct ErrorDescriptionTests {
    @Test(arguments: [
        (SpeculativeError.invalidBudget(0, limit: 256), "the tree's node budget must be in 1...256, got 0"),
        (SpeculativeError.missingDraftModel, "a model drafter needs a draft model"),
        (SpeculativeError.vocabularyMismatch(target: 49152, draft: 32000),
         "the draft model's vocabulary (32000) differs from the target's (49152)"),
    ])
    func errorIsASentence(error: SpeculativeError, sentence: String) {
        #expect("\(error)" == sentence)
    }
}
