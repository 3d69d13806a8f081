import PCRE

/// Renders a conversation into the prompt text a chat model was trained on.
///
/// Supported: the ChatML family — each message is `<|im_start|>ROLE\nCONTENT<|im_end|>\n`, and the
/// generation prompt is `<|im_start|>assistant\n` — including templates that insert a default
/// system message when the conversation does not start with one (SmolLM2's template does:
/// "You are a helpful AI assistant named SmolLM, trained by Hugging Face"). The Jinja source is
/// not executed: ``init(source:)`` recognises the family and reads the default system prompt.
/// Templates with tools or other families (Llama 3, Gemma, Mistral, Phi-3, …) are rejected with
/// ``TokenizerError/unsupportedChatTemplate(family:excerpt:)``.
///
/// Render with special tokens parsed: `tokenizer.encode(prompt, parseSpecial: true)`.
public struct ChatTemplate: Sendable, Hashable {
    /// The template families this renderer implements.
    public enum Family: String, Sendable, Hashable {
        /// `<|im_start|>role\ncontent<|im_end|>\n`.
        case chatML = "ChatML"
    }

    /// The recognised family.
    public let family: Family
    /// The system message inserted when a conversation does not start with one, if any.
    public let defaultSystemPrompt: String?

    /// Plain ChatML with no default system message.
    public static let chatML = ChatTemplate(family: .chatML, defaultSystemPrompt: nil)

    /// A template of `family` with an optional default system message.
    public init(family: Family, defaultSystemPrompt: String?) {
        self.family = family
        self.defaultSystemPrompt = defaultSystemPrompt
    }

    /// Recognises a Jinja chat template (`tokenizer.chat_template`).
    ///
    /// - Throws: ``TokenizerError/unsupportedChatTemplate(family:excerpt:)`` when the source is not
    ///   a ChatML template this renderer reproduces exactly.
    public init(source: String) throws(TokenizerError) {
        let bytes = Array(source.utf8)
        let usesTools = source.contains("tool")
        guard !usesTools, Self.find(Self.messagePattern, in: bytes) != nil,
            Self.find(Self.generationPattern, in: bytes) != nil
        else {
            throw .unsupportedChatTemplate(family: Self.familyName(of: source), excerpt: String(source.prefix(80)))
        }
        var system: String?
        if let range = Self.find(Self.defaultSystemPattern, in: bytes) {
            system = String(decoding: bytes[range], as: UTF8.self).replacingEscapedNewlines()
        }
        self.init(family: .chatML, defaultSystemPrompt: system)
    }

    /// The prompt text for `messages`, ending with the assistant's turn opener when
    /// `addGenerationPrompt` is set.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        var text = ""
        if let system = defaultSystemPrompt, let first = messages.first, first.role != .system {
            text += "<|im_start|>system\n\(system)<|im_end|>\n"
        }
        for message in messages {
            text += "<|im_start|>\(message.role.rawValue)\n\(message.content)<|im_end|>\n"
        }
        if addGenerationPrompt { text += "<|im_start|>assistant\n" }
        return text
    }

    // MARK: Recognition

    /// A newline inside a Jinja string literal: a real one or the escape `\n`.
    private static let newline = #"(?:\n|\\n)"#
    /// `'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'`,
    /// with `message.role` spellings, either quote, and the last two literals joined or not.
    private static let messagePattern =
        #"(['"])<\|im_start\|>\1\s*\+\s*message(?:\[(['"])role\2\]|\.role)\s*\+\s*(['"])"# + newline
        + #"\3\s*\+\s*message(?:\[(['"])content\4\]|\.content)\s*\+\s*(['"])<\|im_end\|>(?:\5\s*\+\s*\5)?"#
        + newline + #"\5"#
    /// `{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}`.
    private static let generationPattern =
        #"add_generation_prompt\s*%\}\s*\{\{-?\s*(['"])<\|im_start\|>assistant"# + newline + #"\1"#
    /// The text of a default system message guarded by `messages[0]['role'] != 'system'`.
    private static let defaultSystemPattern =
        #"messages\[0\]\[(['"])role\1\]\s*!=\s*(['"])system\2\s*%\}\s*\{\{-?\s*(['"])<\|im_start\|>system"#
        + newline + #"\K[^'"]*?(?=<\|im_end\|>)"#

    private static func find(_ pattern: String, in bytes: [UInt8]) -> Range<Int>? {
        do {
            let regex = try PCRERegex(pattern, options: [.utf], jit: false)
            if case .full(let range) = try regex.match(in: bytes) { return range }
            return nil
        } catch {
            preconditionFailure("built-in chat template pattern failed: \(error)")
        }
    }

    private static func familyName(of source: String) -> String {
        let markers: [(String, String)] = [
            ("<|start_header_id|>", "Llama 3"), ("<start_of_turn>", "Gemma"), ("[INST]", "Mistral/Llama 2"),
            ("<|user|>", "Phi-3/Zephyr"), ("<｜User｜>", "DeepSeek"), ("<|im_start|>", "ChatML with unsupported parts"),
        ]
        return markers.first { source.contains($0.0) }?.1 ?? "unknown"
    }
}

extension String {
    /// The text with Jinja's `\n` escapes turned into newlines.
    fileprivate func replacingEscapedNewlines() -> String {
        var result = ""
        var iterator = unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar == "\\" {
                guard let next = iterator.next() else { result.unicodeScalars.append(scalar); break }
                if next == "n" { result += "\n" } else { result.unicodeScalars.append(scalar); result.unicodeScalars.append(next) }
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension Tokenizer {
    /// The model's chat template (`tokenizer.chat_template`), recognised.
    ///
    /// - Throws: ``TokenizerError/noChatTemplate`` or
    ///   ``TokenizerError/unsupportedChatTemplate(family:excerpt:)``.
    public func chatTemplate() throws(TokenizerError) -> ChatTemplate {
        guard let source = chatTemplateSource else { throw .noChatTemplate }
        return try ChatTemplate(source: source)
    }
}
