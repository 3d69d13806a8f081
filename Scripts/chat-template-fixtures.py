#!/usr/bin/env python3
"""Renders llama.cpp's collection of real chat templates with Python Jinja2, set up exactly as
Hugging Face transformers sets it up (`_compile_jinja_template` in
transformers/utils/chat_template_utils.py), into Tests/TokenizerTests/Fixtures/chat-templates.json.

The template sources stay in the git-ignored cache (Scripts/fetch-llama-cpp-data.sh puts them in
.cache/llama-cpp/templates); the fixture holds, per template and conversation, the text Jinja2
renders or the error it raises. The Swift tests render the same conversations with the Tokenizer
module's interpreter and compare.

Usage: python3 Scripts/chat-template-fixtures.py   (needs jinja2)
"""
import json
import os
import sys
from datetime import datetime

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATES = os.path.join(ROOT, ".cache", "llama-cpp", "templates")
OUTPUT = os.path.join(ROOT, "Tests", "TokenizerTests", "Fixtures", "chat-templates.json")

# strftime_now renders this date (HF uses the current time; the fixture must not change daily).
FIXED_NOW = datetime(2026, 1, 15, 9, 30, 0)

# The special tokens passed to every template (HF passes the tokenizer's special_tokens_map).
# One fixed pair keeps the fixtures independent of vocabularies; templates print them verbatim.
BOS = "<s>"
EOS = "</s>"

CONVERSATIONS = {
    "user": [
        {"role": "user", "content": "Hi"},
    ],
    "user-assistant": [
        {"role": "user", "content": "Say something in Greek: ü, Ω, 日本"},
        {"role": "assistant", "content": "  Γειά σου!  "},
    ],
    "system-user": [
        {"role": "system", "content": "You are a terse assistant."},
        {"role": "user", "content": "What is 2+2?"},
    ],
    "user-assistant-user": [
        {"role": "user", "content": "Hello!"},
        {"role": "assistant", "content": "Hi. How can I help?"},
        {"role": "user", "content": "Name a prime number.\nJust one."},
    ],
    "system-user-assistant-user": [
        {"role": "system", "content": "Answer in French."},
        {"role": "user", "content": "Good morning"},
        {"role": "assistant", "content": "Bonjour"},
        {"role": "user", "content": "Thanks, \"friend\" — it's 'late'"},
    ],
}


class AssistantTracker(jinja2.ext.Extension):
    """HF's `{% generation %}` block: renders its body (the tracking is not needed here)."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def make_environment():
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return FIXED_NOW.strftime(format)

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[AssistantTracker, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render(env, source, messages, add_generation_prompt):
    try:
        template = env.from_string(source)
        text = template.render(messages=messages, tools=None, documents=None,
                               add_generation_prompt=add_generation_prompt, bos_token=BOS, eos_token=EOS)
        return {"text": text}
    except jinja2.exceptions.TemplateError as error:
        # raise_exception raises the TemplateError base class itself; everything else is a subclass.
        if type(error) is jinja2.exceptions.TemplateError:
            return {"exception": str(error)}
        return {"error": f"{type(error).__name__}: {error}"}
    except Exception as error:  # a Python error inside the template (TypeError, …)
        return {"error": f"{type(error).__name__}: {error}"}


def main():
    if not os.path.isdir(TEMPLATES):
        sys.exit(f"{TEMPLATES} not found (run Scripts/fetch-llama-cpp-data.sh)")
    env = make_environment()
    fixtures = []
    for name in sorted(os.listdir(TEMPLATES)):
        if not name.endswith(".jinja"):
            continue
        with open(os.path.join(TEMPLATES, name), encoding="utf-8") as f:
            source = f.read()
        cases = []
        for conversation, messages in CONVERSATIONS.items():
            for add in (False, True):
                case = {"conversation": conversation, "add_generation_prompt": add}
                case.update(render(env, source, messages, add))
                cases.append(case)
        fixtures.append({"template": name[: -len(".jinja")], "cases": cases})
    document = {
        "generator": "Scripts/chat-template-fixtures.py, jinja2 " + jinja2.__version__,
        "bos_token": BOS, "eos_token": EOS, "now": FIXED_NOW.isoformat(),
        "conversations": CONVERSATIONS, "templates": fixtures,
    }
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False, indent=1, sort_keys=False)
        f.write("\n")
    rendered = sum(1 for t in fixtures if all("text" in c for c in t["cases"]))
    print(f"{len(fixtures)} templates, {rendered} render every conversation; wrote {OUTPUT}")


if __name__ == "__main__":
    main()
