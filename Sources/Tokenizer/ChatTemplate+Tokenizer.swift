import Foundation

extension Tokenizer {
    /// The model's chat template: its own `tokenizer.chat_template` when the file has one, else
    /// the built-in ``ChatTemplate/BuiltIn`` for its family (see
    /// ``ChatTemplate/BuiltIn/detect(architecture:hasToken:)``).
    ///
    /// - Parameter architecture: `general.architecture`, used only when the file has no template.
    /// - Throws: what ``ChatTemplate/init(source:)`` throws for the file's template.
    public func chatTemplate(architecture: String? = nil) throws(TokenizerError) -> ChatTemplate {
        if let source = chatTemplateSource { return try ChatTemplate(source: source) }
        let texts = Set(tokenTexts)
        return ChatTemplate(builtIn: .detect(architecture: architecture, hasToken: { texts.contains($0) }))
    }

    /// The ids of a conversation: `template` rendered with this vocabulary's BOS and EOS text,
    /// encoded with special tokens parsed, and BOS put first when the vocabulary asks for it
    /// (``addsBOSByDefault``) and the template did not already write it — llama.cpp's rule, so
    /// templates that start with `{{ bos_token }}` do not get two.
    ///
    /// - Throws: what ``ChatTemplate/render(_:addGenerationPrompt:bosToken:eosToken:now:)`` and
    ///   ``encode(_:parseSpecial:addBOS:)`` throw.
    public func encodeChat(_ messages: [ChatMessage], template: ChatTemplate, addGenerationPrompt: Bool = true,
                           now: Date = Date()) throws(TokenizerError) -> [Int] {
        let text = try template.render(messages, addGenerationPrompt: addGenerationPrompt, bosToken: specialTokenText(specialTokens.bos),
                                       eosToken: specialTokenText(specialTokens.eos), now: now)
        var ids = try encode(text, parseSpecial: true)
        if addsBOSByDefault, let bos = specialTokens.bos, ids.first != bos { ids.insert(bos, at: 0) }
        return ids
    }

    /// The text of a special token, or "" when the vocabulary has none.
    private func specialTokenText(_ id: Int?) -> String {
        guard let id else { return "" }
        return String(decoding: tokenBytes(id), as: UTF8.self)
    }
}
