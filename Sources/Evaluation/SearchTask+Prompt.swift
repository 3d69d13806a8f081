import Tokenizer

extension SearchTask {
    /// The task's prompt as tokens through the model's chat template: its `prompt` as one user
    /// message, else its `messages` (roles the template does not know are left out).
    ///
    /// - Throws: ``TokenizerError`` from the template or the encoder.
    public func promptTokens(tokenizer: Tokenizer, template: ChatTemplate) throws -> [Int] {
        var chat = messages.compactMap { message in ChatRole(rawValue: message.role).map { ChatMessage(role: $0, content: message.content) } }
        if let prompt { chat = [ChatMessage(role: .user, content: prompt)] }
        return try tokenizer.encodeChat(chat, template: template)
    }
}
