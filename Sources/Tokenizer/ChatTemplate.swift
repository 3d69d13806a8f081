import Foundation

/// Renders a conversation into the prompt text a chat model was trained on, by running the
/// model's own Jinja chat template (`tokenizer.chat_template`) the way Hugging Face transformers
/// runs it: Jinja2 with `trim_blocks` and `lstrip_blocks`, a sandbox that refuses mutating
/// methods, `raise_exception`, HF's `tojson`, `strftime_now`, `{% generation %}` and loop controls.
///
/// Why an interpreter rather than recognising template families: the templates in the wild
/// (llama.cpp keeps 70 of them as test data) differ in details a family table cannot hold —
/// default system prompts, date lines (`Cutting Knowledge Date`), `trim` or not, a system message
/// folded into the first user turn, `<think>` handling of earlier assistant turns, templates that
/// refuse a system role or non-alternating roles. Each one is its own program; running it is the
/// only way to produce exactly the text the model was fine-tuned on, and a construct the
/// interpreter does not know is reported (``TokenizerError/unsupportedTemplateConstruct(construct:line:)``)
/// instead of rendering a prompt that is subtly wrong. Files without a template get a built-in one
/// (``BuiltIn``), also Jinja, run by the same interpreter.
///
/// ```swift
/// let template = try tokenizer.chatTemplate(architecture: "llama")
/// let ids = try tokenizer.encodeChat([ChatMessage(role: .user, content: "Hi")], template: template)
/// ```
///
/// Rendering is pure: the same messages, flags, tokens and date give the same text.
///
/// Known differences from Jinja2, none met in the 70 test templates: tuples print as lists
/// (`[1, 2]` where Python prints `(1, 2)`), whole floats in [2^53, 1e16) print in exponent form,
/// and `strftime_now` formats in UTC where Python uses local time.
public struct ChatTemplate: Sendable, Hashable {
    /// The Jinja source.
    public let source: String
    private let nodes: [JinjaNode]

    /// Parses a Jinja chat template.
    ///
    /// - Throws: ``TokenizerError/templateSyntax(message:line:)`` for malformed source,
    ///   ``TokenizerError/unsupportedTemplateConstruct(construct:line:)`` for a statement the
    ///   interpreter does not implement. Unsupported filters, tests and operators are found when
    ///   they run (as Jinja2 reports unknown filters inside `if` blocks only when reached).
    public init(source: String) throws(TokenizerError) {
        self.source = source
        self.nodes = try JinjaParser.parse(try JinjaLexer.tokenize(source))
    }

    /// One of the built-in templates.
    public init(builtIn: BuiltIn) {
        do {
            try self.init(source: builtIn.source)
        } catch {
            preconditionFailure("built-in chat template \(builtIn.rawValue) does not parse: \(error)")
        }
    }

    /// The prompt text for `messages`, ending with the assistant's turn opener when
    /// `addGenerationPrompt` is set.
    ///
    /// The template sees the variables Hugging Face passes: `messages` (a list of
    /// `{'role': …, 'content': …}`), `add_generation_prompt`, `bos_token`, `eos_token`, and
    /// `tools` and `documents` set to none; any other name is Jinja's undefined.
    ///
    /// - Parameters:
    ///   - bosToken, eosToken: the text of the vocabulary's BOS and EOS tokens (``Tokenizer/encodeChat(_:template:addGenerationPrompt:now:)``
    ///     passes them).
    ///   - now: the date `strftime_now` formats (in UTC).
    /// - Throws: ``TokenizerError/templateException(message:)`` when the template rejects the
    ///   conversation with `raise_exception`; ``TokenizerError/templateRuntime(message:line:)``
    ///   and ``TokenizerError/unsupportedTemplateConstruct(construct:line:)`` as Jinja2 would fail.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool, bosToken: String = "",
                       eosToken: String = "", now: Date = Date()) throws(TokenizerError) -> String {
        let list = messages.map { message -> JinjaValue in
            var dictionary = JinjaDictionary()
            dictionary["role"] = .string(message.role.rawValue)
            dictionary["content"] = .string(message.content)
            return .dict(dictionary)
        }
        let variables: [String: JinjaValue] = [
            "messages": .list(list), "add_generation_prompt": .boolean(addGenerationPrompt),
            "bos_token": .string(bosToken), "eos_token": .string(eosToken), "tools": .none, "documents": .none,
        ]
        return try JinjaInterpreter(now: now.timeIntervalSince1970).render(nodes, variables: variables)
    }

    /// Templates are equal when their sources are.
    public static func == (lhs: ChatTemplate, rhs: ChatTemplate) -> Bool { lhs.source == rhs.source }

    /// Hashes the source.
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
