import Foundation
import GGUF
import Testing
import Tokenizer

@Suite struct ChatTemplateTests {
    static let smolLMTemplate =
        "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"

    static func render(_ source: String, _ messages: [ChatMessage] = [ChatMessage(role: .user, content: "Hi")],
                       addGenerationPrompt: Bool = true) throws -> String {
        try ChatTemplate(source: source).render(messages, addGenerationPrompt: addGenerationPrompt, bosToken: "<s>",
                                                eosToken: "</s>", now: Date(timeIntervalSince1970: 1_721_952_000))
    }

    @Test func smolLMTemplateInsertsItsDefaultSystemPrompt() throws {
        #expect(try Self.render(Self.smolLMTemplate) == """
            <|im_start|>system
            You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
            <|im_start|>user
            Hi<|im_end|>
            <|im_start|>assistant

            """)
    }

    @Test func explicitSystemMessageReplacesTheDefault() throws {
        let messages = [
            ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "2+2?"),
            ChatMessage(role: .assistant, content: "4"),
        ]
        #expect(try Self.render(Self.smolLMTemplate, messages, addGenerationPrompt: false)
            == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n")
        #expect(try Self.render(Self.smolLMTemplate, []) == "<|im_start|>assistant\n")
    }

    @Test(arguments: [
        // Whitespace control: trim_blocks, lstrip_blocks, `-`, `+`, and the dropped final newline.
        ("{% if true %}\n  a\n  {% endif %}\nb\n", "  a\nb"),
        ("x  {%- if true -%}  y  {%- endif %}", "xy"),
        ("  {%+ if true %}a{% endif %}", "  a"),
        ("{# note #}\n{{ 'a' }}  {# x #}", "a  "),
        // Expressions.
        ("{{ [1, 2, 3][1:] }}|{{ 'abc'[::-1] }}|{{ 7 // 2 }}|{{ 7 / 2 }}|{{ 2 ** 3 }}|{{ -7 % 3 }}", "[2, 3]|cba|3|3.5|8|2"),
        ("{{ 'a' ~ 1 ~ none }}|{{ 'x' if false }}|{{ 1 if 0 else 2 }}|{{ not 1 }}|{{ 0 or 'y' }}", "a1None||2|False|y"),
        ("{{ {'b': 1, 'a': [true, none]} | tojson }}", #"{"b": 1, "a": [true, null]}"#),
        ("{{ 'é\"\n' | tojson }}|{{ {1: 'x'}[1] }}", #""é\"\n"|x"#),
        ("{{ {'a': 1} | tojson(indent=2) }}", "{\n  \"a\": 1\n}"),
        ("{% for k, v in {'x': 1, 'y': 2}.items() %}{{ k }}={{ v }}{{ ', ' if not loop.last }}{% endfor %}", "x=1, y=2"),
        ("{% for m in messages if m.role == 'user' %}{{ loop.index0 }}/{{ loop.length }}{% else %}none{% endfor %}", "0/1"),
        ("{% for i in range(3) %}{% if i == 1 %}{% continue %}{% endif %}{{ i }}{% endfor %}", "02"),
        ("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}", "1"),
        ("{% set ns = namespace(x=1) %}{% for i in [1] %}{% set ns.x = 2 %}{% endfor %}{{ ns.x }}", "2"),
        ("{% macro greet(name, p='!') %}hi {{ name }}{{ p }}{% endmacro %}{{ greet('bob') }}{{ greet('al', p='?') }}", "hi bob!hi al?"),
        ("{% set b %}in{{ 1 }}{% endset %}{{ b | upper }}", "IN1"),
        ("{{ ' a b '.strip().split(' ') }}|{{ 'a,b'.split(',') | join('+') }}|{{ 'Hello'.startswith('He') }}", "['a', 'b']|a+b|True"),
        ("{{ messages[0].content | length }}|{{ undefined_name | default('d') }}|{{ undefined_name is defined }}", "2|d|False"),
        ("{{ messages | selectattr('role', 'equalto', 'user') | map(attribute='content') | list }}", "['Hi']"),
        ("{{ strftime_now('%d %b %Y') }}", "26 Jul 2024"),
        ("{{ bos_token }}{{ eos_token }}{{ tools is none }}", "<s></s>True"),
    ])
    func jinjaConstructs(source: String, expected: String) throws {
        let rendered = try Self.render(source)
        #expect(rendered == expected)
    }

    @Test func raiseExceptionIsATypedErrorWithTheMessage() {
        #expect(throws: TokenizerError.templateException(message: "System role not supported")) {
            try Self.render("{% if messages[0].role == 'user' %}{{ raise_exception('System role not supported') }}{% endif %}")
        }
    }

    @Test(arguments: [
        ("{% include 'other.jinja' %}", "{% include %}", 1),
        ("a\n{% call m() %}x{% endcall %}", "{% call %}", 2),
        ("{{ 'x' | wordwrap }}", "filter 'wordwrap'", 1),
        ("\n\n{{ 1 is prime }}", "test 'prime'", 3),
        ("{{ '%s' % 1 }}", "printf-style string formatting ('…' % value)", 1),
        ("{% for m in messages %}{{ loop.cycle('a', 'b') }}{% endfor %}", "loop.cycle()", 1),
        ("{% set j = joiner(', ') %}", "function 'joiner'", 1),
    ])
    func unsupportedConstructsAreNamed(source: String, construct: String, line: Int) {
        #expect(throws: TokenizerError.unsupportedTemplateConstruct(construct: construct, line: line)) {
            try Self.render(source)
        }
    }

    @Test(arguments: ["{% if x %}", "{{ 1 + }}", "{% for %}", "{{ 'open }}", "{% endfor %}"])
    func malformedTemplatesAreSyntaxErrors(source: String) {
        #expect {
            try Self.render(source)
        } throws: { error in
            guard case TokenizerError.templateSyntax = error else { return false }
            return true
        }
    }

    @Test func hostileTemplatesAreErrorsNotCrashes() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(throws: TokenizerError.self) { try Self.render("{{ \(deep) }}") }
        let nested = String(repeating: "{% if true %}", count: 1000) + String(repeating: "{% endif %}", count: 1000)
        #expect(throws: TokenizerError.self) { try Self.render(nested) }
        #expect(throws: TokenizerError.templateRuntime(message: "maximum recursion depth exceeded in macro 'f'", line: 1)) {
            try Self.render("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")
        }
        #expect(throws: TokenizerError.self) { try Self.render("{{ 'x' * 100000 * 100000 }}") }
    }

    /// Hand-written inputs of the `jinja` fuzz target, written while reading the interpreter's
    /// limits (each ran past the target's 10 s timeout growing without bound, or overflowed the
    /// stack; the mutations had not reached them yet). Work that no single-value limit catches is
    /// bounded per render: loop iterations and macro calls together, and characters built with
    /// `~`, `+`, `*` and written out together; an assignment refuses a value nested deeper than
    /// 256 levels or a namespace cycle.
    @Test(arguments: [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "{% set s = 'x' * 60000000 %}{% for i in range(100) %}{{ s }}{% endfor %}",
        // Stack overflows: freeing or printing a value nested 99 999 deep, and a namespace
        // holding itself, directly or through a dict.
        "{% set ns = namespace(x=1) %}{% for i in range(99999) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x | length }}",
        "{% set ns = namespace(a=1) %}{% set ns.a = ns %}{{ ns }}",
        "{% set ns = namespace(a=1) %}{% set d = {'n': ns} %}{% set ns.d = d %}{{ ns }}",
    ])
    func unboundedWorkIsAnError(source: String) {
        #expect(throws: TokenizerError.self) { try Self.render(source) }
    }

    /// The output-size limit names the line of the text, output or filter block that crossed it
    /// (it said line 0 for all three).
    @Test(arguments: [
        // 60M + 100 × 60M: the fourth {{ s }}, on line 4, crosses 2^28.
        ("{% set s = 'x' * 60000000 %}\n\n{% for i in range(100) %}\n{{ s }}{% endfor %}", 4),
        // 240M, then 300 characters of text per iteration: a text starting on line 2 crosses.
        ("{% set s = 'x' * 60000000 %}{% for i in range(3) %}{{ s }}{% endfor %}\n{% for i in range(100000) %}\n"
            + String(repeating: "y", count: 300) + "{% endfor %}", 2),
        // The body's output (line 4) and the filtered text (line 3) each count: the second
        // filtered text crosses.
        ("{% set s = 'x' * 60000000 %}\n{% for i in range(100) %}\n{% filter upper %}\n{{ s }}{% endfilter %}{% endfor %}", 3),
    ])
    func outputLimitNamesTheLineThatCrossedIt(source: String, line: Int) {
        #expect {
            try Self.render(source)
        } throws: { error in
            guard case .templateRuntime(let message, let errorLine) = error as? TokenizerError else { return false }
            return message.hasPrefix("the template built more than") && errorLine == line
        }
    }

    @Test func undefinedAttributeAccessFailsAsInJinja2() {
        #expect {
            try Self.render("{{ nothing.content }}")
        } throws: { error in
            error as? TokenizerError == .templateRuntime(message: "'nothing' is undefined", line: 1)
        }
    }

    @Test(arguments: [
        (ChatTemplate.BuiltIn.chatML, "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n"),
        (.llama3, "<|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nA<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nQ<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"),
        (.gemma, "<start_of_turn>user\nS\n\nU<end_of_turn>\n<start_of_turn>model\nA<end_of_turn>\n<start_of_turn>user\nQ<end_of_turn>\n<start_of_turn>model\n"),
        (.phi3, "<|system|>\nS<|end|>\n<|user|>\nU<|end|>\n<|assistant|>\nA<|end|>\n<|user|>\nQ<|end|>\n<|assistant|>\n"),
        (.mistralV7, "[SYSTEM_PROMPT] S[/SYSTEM_PROMPT][INST] U[/INST] A</s>[INST] Q[/INST]"),
    ])
    func builtInTemplatesRenderLlamaCppFormats(builtIn: ChatTemplate.BuiltIn, expected: String) throws {
        let messages = [
            ChatMessage(role: .system, content: "S"), ChatMessage(role: .user, content: "U"),
            ChatMessage(role: .assistant, content: "A"), ChatMessage(role: .user, content: "Q"),
        ]
        #expect(try ChatTemplate(builtIn: builtIn).render(messages, addGenerationPrompt: true) == expected)
    }

    @Test func builtInsAreChosenByVocabularyMarkersThenArchitecture() {
        func detect(_ tokens: Set<String>, _ architecture: String? = nil) -> ChatTemplate.BuiltIn {
            ChatTemplate.BuiltIn.detect(architecture: architecture, hasToken: tokens.contains)
        }
        #expect(detect(["<|start_header_id|>", "<|eot_id|>"]) == .llama3)
        #expect(detect(["<start_of_turn>"]) == .gemma)
        #expect(detect([], "gemma3") == .gemma)
        #expect(detect(["<|end|>", "<|user|>"]) == .phi3)
        #expect(detect(["[SYSTEM_PROMPT]", "[INST]"]) == .mistralV7)
        #expect(detect([], "llama") == .chatML)
    }

    @Test func bosIsAddedOnceWhetherOrNotTheTemplateWritesIt() throws {
        var metadata = TinyVocabulary.metadata()
        metadata.addBOSToken = true
        let tokenizer = try Tokenizer(metadata: metadata)
        let bos = try #require(tokenizer.specialTokens.bos)
        let messages = [ChatMessage(role: .user, content: "a")]
        let writesBOS = try ChatTemplate(source: "{{ bos_token }}{{ messages[0].content }}")
        let omitsBOS = try ChatTemplate(source: "{{ messages[0].content }}")
        #expect(try tokenizer.encodeChat(messages, template: writesBOS) == [bos, TinyVocabulary.id("a")])
        #expect(try tokenizer.encodeChat(messages, template: omitsBOS) == [bos, TinyVocabulary.id("a")])
    }

    @Test func theFilesTemplateComesFirstThenABuiltInForTheVocabulary() throws {
        var metadata = TinyVocabulary.metadata()
        #expect(try Tokenizer(metadata: metadata).chatTemplate(architecture: "gemma3") == ChatTemplate(builtIn: .chatML))
        metadata.chatTemplate = "{{ messages[0].content }}!"
        let own = try Tokenizer(metadata: metadata).chatTemplate(architecture: "gemma3")
        #expect(try own.render([ChatMessage(role: .user, content: "a")], addGenerationPrompt: true) == "a!")
    }

    @Test(.enabled(if: DefaultModel.modelTestsEnabled))
    func defaultModelTemplateRendersAndTokenizes() throws {
        let tokenizer = try ModelTokenizer.load()
        let ids = try tokenizer.encodeChat([ChatMessage(role: .user, content: "Hi")], template: try tokenizer.chatTemplate())
        let system = "system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
        let expected = try [1] + tokenizer.encode(system) + [2, 198, 1] + tokenizer.encode("user\nHi")
            + [2, 198, 1] + tokenizer.encode("assistant\n")
        #expect(ids == expected)
    }
}
