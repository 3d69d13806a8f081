/// Who wrote a chat message.
public enum ChatRole: String, Sendable, Hashable, CaseIterable {
    /// Instructions that frame the conversation.
    case system
    /// The person talking to the model.
    case user
    /// The model.
    case assistant
}

/// One message of a conversation.
public struct ChatMessage: Sendable, Hashable {
    /// The author.
    public var role: ChatRole
    /// The text.
    public var content: String

    /// A message as given.
    public init(role: ChatRole, content: String) {
        self.role = role
        self.content = content
    }
}
