extension ChatTemplate {
    /// Templates for files that carry none (Gemma 3 270M's GGUF has no `tokenizer.chat_template`),
    /// written as Jinja and rendering what llama.cpp's built-in formatter
    /// (`llm_chat_apply_template` in `src/llama-chat.cpp`) writes for the same family. None of them
    /// emits BOS: the tokenizer adds it where the vocabulary asks for one.
    public enum BuiltIn: String, Sendable, CaseIterable {
        /// `<|im_start|>role\ncontent<|im_end|>\n` (Qwen, SmolLM, and llama.cpp's default).
        case chatML = "chatml"
        /// `<|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>`, content trimmed.
        case llama3
        /// `<start_of_turn>user\n…<end_of_turn>\n`, `assistant` written `model`, a system message
        /// folded into the next user turn.
        case gemma
        /// `<|role|>\ncontent<|end|>\n`.
        case phi3
        /// `[SYSTEM_PROMPT] …[/SYSTEM_PROMPT][INST] …[/INST] answer</s>` (Mistral's v7 format).
        case mistralV7 = "mistral-v7"

        /// The Jinja source.
        public var source: String {
            switch self {
            case .chatML:
                return """
                    {%- for message in messages -%}
                    {{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}
                    {%- endfor -%}
                    {%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}
                    """
            case .llama3:
                return """
                    {%- for message in messages -%}
                    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim -}}
                    {{- '<|eot_id|>' -}}
                    {%- endfor -%}
                    {%- if add_generation_prompt -%}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}{%- endif -%}
                    """
            case .gemma:
                return """
                    {%- set ns = namespace(system='') -%}
                    {%- for message in messages -%}
                    {%- if message['role'] == 'system' -%}
                    {%- set ns.system = ns.system + message['content'] | trim -%}
                    {%- else -%}
                    {%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}
                    {{- '<start_of_turn>' + role + '\\n' -}}
                    {%- if ns.system and role != 'model' -%}
                    {{- ns.system + '\\n\\n' -}}
                    {%- set ns.system = '' -%}
                    {%- endif -%}
                    {{- message['content'] | trim + '<end_of_turn>\\n' -}}
                    {%- endif -%}
                    {%- endfor -%}
                    {%- if add_generation_prompt -%}{{- '<start_of_turn>model\\n' -}}{%- endif -%}
                    """
            case .phi3:
                return """
                    {%- for message in messages -%}
                    {{- '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' -}}
                    {%- endfor -%}
                    {%- if add_generation_prompt -%}{{- '<|assistant|>\\n' -}}{%- endif -%}
                    """
            case .mistralV7:
                return """
                    {%- for message in messages -%}
                    {%- if message['role'] == 'system' -%}
                    {{- '[SYSTEM_PROMPT] ' + message['content'] + '[/SYSTEM_PROMPT]' -}}
                    {%- elif message['role'] == 'user' -%}
                    {{- '[INST] ' + message['content'] + '[/INST]' -}}
                    {%- else -%}
                    {{- ' ' + message['content'] + '</s>' -}}
                    {%- endif -%}
                    {%- endfor -%}
                    """
            }
        }

        /// The built-in for a model without a template, as llama.cpp would pick it: by the
        /// family's marker tokens in the vocabulary, then by `general.architecture`, else ChatML.
        ///
        /// - Parameters:
        ///   - architecture: `general.architecture` (`"llama"`, `"gemma3"`, `"phi3"`, …), if known.
        ///   - hasToken: whether the vocabulary has a token with this exact text.
        public static func detect(architecture: String?, hasToken: (String) -> Bool) -> BuiltIn {
            if hasToken("<|start_header_id|>") && hasToken("<|eot_id|>") { return .llama3 }
            if hasToken("<start_of_turn>") { return .gemma }
            if hasToken("<|im_start|>") { return .chatML }
            if hasToken("[SYSTEM_PROMPT]") && hasToken("[INST]") { return .mistralV7 }
            if hasToken("<|end|>") && hasToken("<|user|>") { return .phi3 }
            switch architecture {
            case let name? where name.hasPrefix("gemma"): return .gemma
            case "phi3": return .phi3
            default: return .chatML
            }
        }
    }
}
