#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target into a folder (Scripts/fuzz.sh calls this).

Seeds come from the test fixtures in the repository and, for GGUF, from a tiny file written
here, the first 64 KiB of the default model when one is found (`default_model`) and the whole
tiny random-weight models of Scripts/make-tiny-models.py (`tiny_models`, loadable models with a
tokenizer, 120-320 KiB); the tokenizer
and Jinja seeds from llama.cpp's test data (`llama_cpp_data`: vocabulary test texts and the real
chat templates); nothing is committed.
Constraint targets read `text NUL bytes` (see Fuzz/Sources/FuzzSupport/FuzzInput.swift).
"""
import hashlib
import json
import os
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "ConstraintsTests", "Fixtures")
MODEL_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def default_model():
    """SWIFT_DECODING_MODEL, else .models/ of this checkout, else of the main worktree (or None)."""
    if os.environ.get("SWIFT_DECODING_MODEL"):
        return os.environ["SWIFT_DECODING_MODEL"]
    common = subprocess.run(["git", "-C", ROOT, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                            capture_output=True, text=True).stdout.strip()
    for top in [ROOT, os.path.dirname(common)] if common else [ROOT]:
        path = os.path.join(top, ".models", MODEL_NAME)
        if os.path.exists(path):
            return path
    return None


def tiny_models():
    """The .gguf files of .cache/tiny-models in this checkout, else in the main worktree (may be none)."""
    common = subprocess.run(["git", "-C", ROOT, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                            capture_output=True, text=True).stdout.strip()
    for top in [ROOT, os.path.dirname(common)] if common else [ROOT]:
        folder = os.path.join(top, ".cache", "tiny-models")
        if os.path.isdir(folder):
            return [os.path.join(folder, name) for name in sorted(os.listdir(folder)) if name.endswith(".gguf")]
    return []


def llama_cpp_data():
    """SWIFT_DECODING_LLAMA_CPP, else .cache/llama-cpp of this checkout, else of the main worktree."""
    if os.environ.get("SWIFT_DECODING_LLAMA_CPP"):
        return os.environ["SWIFT_DECODING_LLAMA_CPP"]
    common = subprocess.run(["git", "-C", ROOT, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                            capture_output=True, text=True).stdout.strip()
    for top in [ROOT, os.path.dirname(common)] if common else [ROOT]:
        path = os.path.join(top, ".cache", "llama-cpp")
        if os.path.isdir(os.path.join(path, "vocab")):
            return path
    sys.exit("llama.cpp test data not found (run Scripts/fetch-llama-cpp-data.sh)")


# The vocabularies of the tokenizer target, in the order of Fuzz/Sources/FuzzTokenizer/Vocabularies.swift:
# the first input byte picks one.
VOCABULARIES = ["llama-bpe", "qwen2", "gpt-2", "llama-spm", "gemma-4"]


def tokenizer_seeds(folder):
    """`vocabulary byte, flags byte, text`: llama.cpp's test texts of each vocabulary, and a few
    texts with special-token markup, `▁` and invalid UTF-8, with and without special tokens parsed."""
    extra = ["<s>Hello</s> world<|im_start|>user\n<|begin_of_text|>", "a\u2581b \u2581", "日本語 🦙 naïve\t\r\n  x",
             "<start_of_turn>user\nHi<end_of_turn>"]
    for index, name in enumerate(VOCABULARIES):
        path = os.path.join(llama_cpp_data(), "vocab", f"ggml-vocab-{name}.gguf.inp")
        texts = []
        if os.path.exists(path):
            with open(path, "rb") as f:
                texts = f.read().split(b"\n__ggml_vocab_test__\n")
        for text in texts + [t.encode() for t in extra] + [b"a\xff\xc3(\x80\xe2\x82b"]:
            for flags in (0, 1):
                write(folder, bytes([index, flags]) + text, 4 << 10)


def jinja_seeds(folder):
    """`template NUL shape flags contents`: the real chat templates (llama.cpp's test data) with
    a few of the conversations of Fuzz/Sources/FuzzJinja/FuzzJinja.swift, and small templates with
    the constructs the interpreter bounds (macro recursion, nesting, repetition, ranges)."""
    folder_templates = os.path.join(llama_cpp_data(), "templates")
    for name in sorted(os.listdir(folder_templates)):
        if name.endswith(".jinja"):
            with open(os.path.join(folder_templates, name), "rb") as f:
                source = f.read()
            for shape in (0, 1, 3):
                write(folder, source + b"\0" + bytes([shape, 1]), 16 << 10)
    small = ["{% macro f(n) %}{{ f(n - 1) if n > 0 }}{% endmacro %}{{ f(3) }}",
             "{% for m in messages %}{% if loop.first %}{{ m.role | upper }}{% endif %}{{ m.content | trim | tojson }}{% endfor %}",
             "{{ ('ab' * 3)[1:4] }}{{ range(5) | list | join(',') }}{{ [1, 2] * 2 }}",
             "{% set ns = namespace(x=0) %}{% for i in range(3) %}{% set ns.x = ns.x + i %}{% endfor %}{{ ns.x }}",
             "{{ messages[0]['content'].split(' ') | map('length') | list }}{{ strftime_now('%Y-%m-%d') }}",
             "{%- if messages[0].role != 'user' -%}{{ raise_exception('roles') }}{%- endif -%}{{ bos_token }}"]
    for source in small:
        write(folder, source.encode() + b"\0" + bytes([0, 1]) + b"Hi\x01there", 16 << 10)


def task_seeds(folder):
    """Task files: the built-in task set, each of its lines alone, and lines with schemas, regexes,
    messages and the mistakes the reader reports."""
    with open(os.path.join(ROOT, "Tasks", "builtin.jsonl"), "rb") as f:
        builtin = f.read()
    write(folder, builtin, 8 << 10)
    for line in builtin.split(b"\n"):
        write(folder, line, 8 << 10)
    lines = ['{"prompt":"json","schema":{"type":"object","properties":{"a":{"type":"integer"}}}}',
             '{"prompt":"r","regex":"(yes|no)"}',
             '{"id":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"u"}],"reference":3}',
             '{"prompt":"x","extract":"regex:answer: (\\\\d+)","reference":"1","match":"contains"}',
             '{"prompt":"x","messages":[{"role":"user","content":"y"}]}', '{"prompt":"x","extract":"regex:(","reference":"1"}',
             '# comment', '{"prompt":""}', '[1, 2]', '{"prompt":"x","schema":true}']
    write(folder, "\n".join(lines).encode(), 8 << 10)
    for line in lines:
        write(folder, line.encode(), 8 << 10)


def http_seeds(folder):
    """Request bodies: every raw-string JSON object literal in Tests/ServingTests (the endpoint
    byte `0` for a body with a prompt, `1` for one with messages, both otherwise) and the bodies
    Scripts/test-serve.py's client sends."""
    import re
    bodies = set()
    tests = os.path.join(ROOT, "Tests", "ServingTests")
    for name in sorted(os.listdir(tests)):
        if name.endswith(".swift"):
            with open(os.path.join(tests, name)) as f:
                bodies.update(re.findall(r'#"(\{.*?\})"#', f.read()))
    schema = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
              "required": ["name", "age"], "additionalProperties": False}
    chat = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Name a colour."}]
    for body in [
        {"model": "smollm2", "prompt": "Once upon a time", "max_tokens": 16, "temperature": 0.8, "seed": 1,
         "top_k": 40, "min_p": 0.05, "repetition_penalty": 1.1},
        {"model": "smollm2", "messages": chat, "max_tokens": 16, "stream": True, "stream_options": {"include_usage": True}},
        {"messages": chat, "logprobs": True, "top_logprobs": 3, "return_tokens_as_token_ids": True},
        {"messages": chat, "temperature": 0.8, "seed": 3, "n": 2,
         "response_format": {"type": "json_schema", "json_schema": {"name": "person", "schema": schema}}},
        {"messages": chat, "max_tokens": 200, "temperature": 0, "response_format": {"type": "json_object"}},
        {"prompt": "Phone:", "max_tokens": 12, "regex": "[0-9]{3}-[0-9]{4}"},
        {"prompt": "Answer:", "grammar": 'root ::= " yes" | " no"', "strategy": "lcd"},
        {"prompt": "Hi", "strategy": "beam:2", "max_tokens": 4}, {"prompt": "Hi", "strategy": "smc:4", "regex": "a+"},
        {"prompt": "Hi", "strategy": "sample+draft:ngram"}, {"prompt": [1, 2, 3], "echo": False, "stop": ["\n", "."]},
    ]:
        bodies.add(json.dumps(body))
    for body in sorted(bodies):
        kinds = (["0"] if '"prompt"' in body else []) + (["1"] if '"messages"' in body else [])
        for kind in kinds or ["0", "1"]:
            write(folder, (kind + body).encode(), 16 << 10)


def write(folder, data, limit):
    if len(data) <= limit:
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


def text_and_bytes(text, instance):
    return text.encode() + b"\0" + instance.encode()


def schema_cases():
    """(schema, a valid instance or None) from JSON-Schema-Test-Suite and a slice of MaskBench."""
    suite = os.path.join(FIXTURES, "jsonschema", "test-suite")
    for root, _, files in sorted(os.walk(suite)):
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(root, name)) as f:
                for group in json.load(f):
                    valid = [t["data"] for t in group.get("tests", []) if t.get("valid")]
                    yield group["schema"], (valid[0] if valid else None)
    bench = os.path.join(FIXTURES, "maskbench")
    for name in sorted(os.listdir(bench))[::8]:
        with open(os.path.join(bench, name)) as f:
            case = json.load(f)
        valid = [t["data"] for t in case.get("tests", []) if t.get("valid")]
        yield case["schema"], (valid[0] if valid else None)


def patterns(value):
    """Every `pattern` string inside a schema."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "pattern" and isinstance(child, str):
                yield child
            yield from patterns(child)
    elif isinstance(value, list):
        for child in value:
            yield from patterns(child)


def tiny_gguf():
    """A GGUF v3 file: three metadata entries, an F32 and a Q4_0 tensor, 32-byte alignment."""
    def string(s):
        b = s.encode()
        return struct.pack("<Q", len(b)) + b
    kv = string("general.architecture") + struct.pack("<I", 8) + string("llama")
    kv += string("llama.block_count") + struct.pack("<II", 4, 1)
    kv += string("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, 2) + string("a") + string("b")
    tensors = string("a.weight") + struct.pack("<IQIQ", 1, 8, 0, 0)  # F32 [8] at 0
    tensors += string("b.weight") + struct.pack("<IQQIQ", 2, 32, 2, 2, 32)  # Q4_0 [32, 2] at 32
    head = b"GGUF" + struct.pack("<IQQ", 3, 2, 3) + kv + tensors
    head += b"\0" * (-len(head) % 32)
    return head + bytes(range(32)) + bytes(2 * 18)


def main(target, folder):
    os.makedirs(folder, exist_ok=True)
    if target == "gguf":
        write(folder, tiny_gguf(), 1 << 20)
        model = default_model()
        if model:
            with open(model, "rb") as f:
                write(folder, f.read(64 << 10), 1 << 20)
        for path in tiny_models():
            with open(path, "rb") as f:
                write(folder, f.read(), 320 << 10)
    elif target == "gbnf":
        samples = {"arithmetic": "(1+2)*3", "json": '{"a": [1, "b", null]}', "json_arr": "[1, {}]",
                   "list": "- one\n- two\n", "chess": "1. e4 e5 2. Nf3 Nc6 "}
        gbnf = os.path.join(FIXTURES, "gbnf")
        for name in sorted(os.listdir(gbnf)):
            if name.endswith(".gbnf"):
                with open(os.path.join(gbnf, name)) as f:
                    write(folder, text_and_bytes(f.read(), samples.get(name[:-5], "")), 64 << 10)
    elif target == "jsonschema":
        for schema, instance in schema_cases():
            text = "" if instance is None else json.dumps(instance)
            write(folder, text_and_bytes(json.dumps(schema), text), 16 << 10)
    elif target == "regex":
        for schema, instance in schema_cases():
            for pattern in patterns(schema):
                text = instance if isinstance(instance, str) else ""
                write(folder, text_and_bytes(pattern, text), 4 << 10)
        for pattern, text in [("[a-z]+@[a-z]+\\.com", "ab@cd.com"), ("(ab|cd)*e{2,3}", "abcdee"),
                              ("\\d{4}-\\d{2}-\\d{2}", "2024-01-31"), ("[\\x{4e00}-\\x{9fff}]+", "中文")]:
            write(folder, text_and_bytes(pattern, text), 4 << 10)
    elif target == "tokenizer":
        tokenizer_seeds(folder)
    elif target == "jinja":
        jinja_seeds(folder)
    elif target == "tasks":
        task_seeds(folder)
    elif target == "http":
        http_seeds(folder)
    else:
        sys.exit(f"unknown target {target}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
