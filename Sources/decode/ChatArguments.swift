import ArgumentParser
import Foundation
import Tokenizer

/// The chat options of `decode generate`: `--chat`, `--system` and `--chat-template`.
struct ChatArguments: ParsableArguments {
    @Flag(name: .long, help: "Wrap the prompt in the model's chat template as one user turn.")
    var chat = false

    @Option(name: .long, help: "A system message before the user turn (implies --chat).")
    var system: String?

    @Option(name: .customLong("chat-template"), help: ArgumentHelp(
        "The chat template to use instead of the model's (implies --chat): a built-in name or a Jinja file.",
        valueName: "\(ChatTemplate.BuiltIn.allCases.map(\.rawValue).joined(separator: "|"))|FILE"))
    var chatTemplate: String?

    /// Whether the prompt goes through a chat template.
    var isChat: Bool { chat || system != nil || chatTemplate != nil }

    func validate() throws {
        if let chatTemplate, ChatTemplate.BuiltIn(rawValue: chatTemplate) == nil,
           !FileManager.default.fileExists(atPath: chatTemplate) {
            throw ValidationError("--chat-template '\(chatTemplate)' is neither a built-in template "
                + "(\(ChatTemplate.BuiltIn.allCases.map(\.rawValue).joined(separator: ", "))) nor a file.")
        }
        if system?.isEmpty == true { throw ValidationError("--system is empty.") }
    }

    /// The template `--chat-template` names, or nil for the model's own.
    ///
    /// - Throws: `ValidationError` when the file cannot be read or is not a template the library parses.
    func explicitTemplate() throws -> ChatTemplate? {
        guard let chatTemplate else { return nil }
        if let builtIn = ChatTemplate.BuiltIn(rawValue: chatTemplate) { return ChatTemplate(builtIn: builtIn) }
        let source: String
        do {
            source = try String(contentsOfFile: chatTemplate, encoding: .utf8)
        } catch {
            throw ValidationError("--chat-template '\(chatTemplate)' cannot be read as UTF-8 text.")
        }
        do {
            return try ChatTemplate(source: source)
        } catch {
            throw ValidationError("--chat-template '\(chatTemplate)': \(error)")
        }
    }

    /// The ids of the conversation: the `--system` message, if any, then `prompt` as the user's turn.
    ///
    /// - Throws: `ValidationError` when the template refuses the conversation (`raise_exception`:
    ///   a system turn the model does not take, say), the template's other errors as they are.
    func promptIDs(_ prompt: String, template: ChatTemplate, tokenizer: Tokenizer) throws -> [Int] {
        let messages = (system.map { [ChatMessage(role: .system, content: $0)] } ?? [])
            + [ChatMessage(role: .user, content: prompt)]
        do {
            return try tokenizer.encodeChat(messages, template: template)
        } catch {
            if case .templateException(let message) = error {
                throw ValidationError("The chat template refuses this conversation: \(message)")
            }
            throw error
        }
    }
}
