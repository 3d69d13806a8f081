import Decoding
import Testing

/// Every stop reason has a finish-reason name and a sentence (printed by `decode generate`).
struct StopReasonTests {
    @Test(arguments: [
        (StopReason.maxTokens, "max_tokens", "token limit"),
        (.endOfSequence(token: 2), "end_of_sequence", "token 2"),
        (.stopString("\n\n"), "stop_string", #""\n\n""#),
        (.predicate, "predicate", "stop condition"),
        (.contextFull, "context_full", "context is full"),
        (.cancelled, "cancelled", "cancelled"),
    ])
    func namesAndSentences(reason: StopReason, name: String, mentions: String) {
        #expect(reason.name == name)
        #expect("\(reason)".hasPrefix(name + " ("))
        #expect("\(reason)".contains(mentions), "\(reason)")
    }
}
