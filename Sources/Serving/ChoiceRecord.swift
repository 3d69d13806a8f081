/// What one choice has produced so far: its text, token count, log-probabilities and end,
/// accumulated from its ``ServedEvent``s for a whole (non-streamed) response.
struct ChoiceRecord {
    var text = ""
    var tokenCount = 0
    var tokens: [ServedToken] = []
    var finishReason: String?
    /// Characters of text released before each token (the legacy `text_offset`).
    var offsets: [Int] = []
    private var characters = 0

    /// Adds an event.
    mutating func record(_ event: ServedEvent, keepTokens: Bool) {
        switch event {
        case .token(let token):
            tokenCount += 1
            if keepTokens {
                tokens.append(token)
                offsets.append(characters)
            }
            characters += token.text.count
        case .finished(let completion):
            text = completion.text
            finishReason = completion.finishReason
        }
    }
}
