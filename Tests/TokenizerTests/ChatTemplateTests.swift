import GGUF
import Testing
import Tokenizer

@Suite struct ChatTemplateTests {
    static let smolLMTemplate =
        "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"

    @Test func recognisesSmolLMTemplateWithItsDefaultSystemPrompt() throws {
        let template = try ChatTemplate(source: Self.smolLMTemplate)
        #expect(template.family == .chatML)
        #expect(template.defaultSystemPrompt == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        let prompt = template.render([ChatMessage(role: .user, content: "Hi")], addGenerationPrompt: true)
        #expect(prompt == """
            <|im_start|>system
            You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
            <|im_start|>user
            Hi<|im_end|>
            <|im_start|>assistant

            """)
    }

    @Test func explicitSystemMessageReplacesTheDefault() throws {
        let template = try ChatTemplate(source: Self.smolLMTemplate)
        let messages = [
            ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "2+2?"),
            ChatMessage(role: .assistant, content: "4"),
        ]
        #expect(template.render(messages, addGenerationPrompt: false)
            == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n")
        #expect(template.render([], addGenerationPrompt: true) == "<|im_start|>assistant\n")
    }

    @Test func recognisesPlainChatMLWithEscapedNewlinesAndDoubleQuotes() throws {
        let source = #"{% for message in messages %}{{"<|im_start|>" + message["role"] + "\n" + message["content"] + "<|im_end|>\n"}}{% endfor %}{% if add_generation_prompt %}{{ "<|im_start|>assistant\n" }}{% endif %}"#
        let template = try ChatTemplate(source: source)
        #expect(template == .chatML)
    }

    @Test(arguments: [
        ("{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>{% endfor %}", "Llama 3"),
        ("{{ bos_token }}{% for m in messages %}<start_of_turn>{{ m['role'] }}{% endfor %}", "Gemma"),
        ("{% for m in messages %}[INST] {{ m['content'] }} [/INST]{% endfor %}", "Mistral/Llama 2"),
        ("{% for m in messages %}{{ m.content }}{% endfor %}", "unknown"),
        ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if tools %}{{ tools }}{% endif %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}", "ChatML with unsupported parts"),
    ])
    func unsupportedTemplatesAreNamed(source: String, family: String) {
        #expect(throws: TokenizerError.unsupportedChatTemplate(family: family, excerpt: String(source.prefix(80)))) {
            try ChatTemplate(source: source)
        }
    }

    @Test(.enabled(if: DefaultModel.modelTestsEnabled))
    func defaultModelTemplateRendersAndTokenizes() throws {
        let tokenizer = try ModelTokenizer.load()
        let template = try tokenizer.chatTemplate()
        #expect(template.defaultSystemPrompt == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        let prompt = template.render([ChatMessage(role: .user, content: "Hi")], addGenerationPrompt: true)
        let ids = try tokenizer.encode(prompt, parseSpecial: true)
        let system = "system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
        let expected = try [1] + tokenizer.encode(system) + [2, 198, 1] + tokenizer.encode("user\nHi")
            + [2, 198, 1] + tokenizer.encode("assistant\n")
        #expect(ids == expected)
    }
}
