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


# Small templates for the constructs real templates use, one or a few each, rendered with the
# messages of the "system-user-assistant-user" conversation. Where Jinja2 raises, the fixture
# records it and the Swift interpreter must fail too.
CONSTRUCTS = [
    # whitespace control
    "a\n  {% if true %}\n    b\n  {% endif %}\nc",
    "a {{- ' b ' -}} c\n{#- comment -#}\n d",
    "{% for i in [1, 2] %}\n  {{ i }}\n{% endfor %}\n",
    "  {% set x = 1 %}  {{ x }}\n\t{% if x %}y{% endif %}",
    "{% raw %}{{ x }}{% endraw %}",
    # literals and operators
    "{{ 1 + 2 * 3 - 4 / 2 }} {{ 2 ** 10 }} {{ 7 % 3 }} {{ -7 // 2 }} {{ 1.5 + 1 }} {{ 10 / 4 }}",
    "{{ 'a' + 'b' }} {{ [1] + [2] }} {{ 'ab' * 3 }} {{ 'x' ~ 2 ~ true ~ none }}",
    "{{ 1 < 2 and 2 <= 2 and 3 > 2 and 3 >= 3 and 1 != 2 }} {{ 'a' < 'b' }} {{ [1, 2] == [1, 2] }}",
    "{{ 'b' in 'abc' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }} {{ not false }}",
    "{{ none or 0 or '' or 'last' }} {{ 1 and 'x' }} {{ 0 and 1 }}",
    "{{ 'yes' if 1 else 'no' }}{{ 'never' if false }}|{{ (1, 2) | list }} {{ {'a': [1, {'b': none}]} }}",
    "{{ 'it\\'s' }} {{ \"q\\\"\" }} {{ 'tab\\there' }} {{ 'a' 'b' }}",
    "{{ 1 + 'a' }}",
    "{{ undefined_thing + 1 }}",
    "{{ 1 / 0 }}",
    # indexing, slicing, attributes
    "{{ messages[0]['role'] }} {{ messages[-1].content }} {{ messages[1:3] | length }} {{ messages[::2] | map(attribute='role') | join(',') }}",
    "{{ 'hello'[1:-1] }} {{ 'hello'[::-1] }} {{ [1,2,3,4,5][-2:] }} {{ [1,2,3][5] is defined }} {{ 'abc'[1] }}",
    "{{ messages[10] is undefined }} {{ messages[0].nope is defined }}",
    "{{ messages[10].content }}",
    "{% set d = {'a': 1, 'b': 2} %}{{ d.a }} {{ d['b'] }} {{ d.get('c', 'dflt') }} {{ d.get('a') }} {{ d.get('z') }} {{ d.keys() | list }} {{ d.values() | list }}",
    "{% for k, v in {'z': 1, 'a': 2} | dictsort %}{{ k }}{{ v }}{% endfor %} {% for k, v in {'x': 1}.items() %}{{ k }}={{ v }}{% endfor %}",
    # loops
    "{% for m in messages %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}",
    "{% for m in messages if m.role != 'system' %}{{ loop.index }}:{{ m.role }} {% endfor %}",
    "{% for x in [] %}x{% else %}empty{% endfor %} {% for c in 'ab' %}{{ c }}{% endfor %} {% for k in {'p': 1, 'q': 2} %}{{ k }}{% endfor %}",
    "{% for i in range(5) %}{% if i == 3 %}{% break %}{% endif %}{% if i == 1 %}{% continue %}{% endif %}{{ i }}{% endfor %}",
    "{% for i in range(1, 7, 2) %}{{ i }}{% endfor %} {{ range(3) | list }}",
    "{% for m in messages %}{{ loop.previtem.role if loop.previtem is defined else '-' }}>{{ loop.nextitem.role if loop.nextitem else '-' }} {% endfor %}",
    "{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }}{% endfor %}",
    "{% for x in none %}{% endfor %}",
    # set, namespace, scoping, macros
    "{% set a, b = 1, 2 %}{{ a }}{{ b }} {% set t = [1, 2] %}{% set x = t | length %}{{ x }}",
    "{% set x = 'out' %}{% for i in [1] %}{% set x = 'in' %}{{ x }}{% endfor %}{{ x }}{% if true %}{% set x = 'if' %}{% endif %}{{ x }}",
    "{% set ns = namespace(found=false, n=0) %}{% for m in messages %}{% if m.role == 'user' %}{% set ns.found = true %}{% set ns.n = ns.n + 1 %}{% endif %}{% endfor %}{{ ns.found }} {{ ns.n }}",
    "{% set block %}\n  text {{ 1 }}\n{% endset %}[{{ block }}]",
    "{% macro m(a, b=2, c='x') -%}\n{{ a }}-{{ b }}-{{ c }}\n{%- endmacro %}{{ m(1) }} {{ m(1, 3) }} {{ m(1, c='y') }} {{ m(a=5) }}",
    "{% macro outer(x) %}[{{ inner(x) }}]{% endmacro %}{% macro inner(y) %}{{ y | upper }}{% endmacro %}{{ outer('q') }}",
    "{% filter upper %}shout {{ 'this' }}{% endfilter %}",
    # tests
    "{{ 1 is number }} {{ 1.5 is float }} {{ 1 is integer }} {{ true is boolean }} {{ 'a' is string }} {{ {} is mapping }} {{ [] is iterable }} {{ 'a' is sequence }} {{ none is none }} {{ x is undefined }}",
    "{{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 1 is sameas true }} {{ true is sameas true }} {{ 'a' is lower }} {{ 'A' is upper }} {{ 2 is eq 2 }} {{ 1 is in [1] }} {{ 2 is gt 1 }}",
    "{{ true is true }} {{ false is false }} {{ 0 is false }} {{ messages is not string }} {{ raise_exception is callable }}",
    # filters
    "{{ '  x  ' | trim }}|{{ 'xxhixx' | trim('x') }}|{{ 'Hello' | upper }}|{{ 'Hello' | lower }}|{{ 'hello world' | capitalize }}|{{ 'hello wORLD' | title }}",
    "{{ [3, 1, 2] | sort }} {{ ['b', 'A', 'c'] | sort }} {{ [3, 1, 2] | sort(reverse=true) }} {{ messages | sort(attribute='role') | map(attribute='role') | list }}",
    "{{ [1, 2, 3] | first }} {{ [1, 2, 3] | last }} {{ 'abc' | first }} {{ [] | first is undefined }} {{ [1, 2] | length }} {{ 'abc' | count }}",
    "{{ x | default('d') }} {{ '' | default('e') }} {{ '' | default('e', true) }} {{ none | default('n') }} {{ x | d('short') }}",
    "{{ [1, 'a', none] | join('-') }} {{ messages | join(',', attribute='role') }} {{ ['a', 'b'] | join }}",
    "{{ '42' | int }} {{ '4.7' | int }} {{ 'x' | int }} {{ 'x' | int(7) }} {{ 3.9 | int }} {{ '2.5' | float }} {{ 42 | string }} {{ -3 | abs }}",
    "{{ 'aXbXc' | replace('X', '-') }} {{ 'aaa' | replace('a', 'b', 2) }} {{ [1, 2, 1, 'A', 'a'] | unique | list }} {{ [4, 2, 8] | min }} {{ [4, 2, 8] | max }}",
    "{{ messages | selectattr('role', 'equalto', 'user') | list | length }} {{ messages | rejectattr('role', 'eq', 'user') | map(attribute='role') | list }} {{ [0, 1, 2] | select | list }} {{ [0, 1, 2] | reject('odd') | list }}",
    "{{ messages | map(attribute='nope', default='?') | list }} {{ ['a', 'b'] | map('upper') | list }} {{ [1, 2] | reverse | list }} {{ 'abc' | reverse }} {{ {'b': 1} | items | map('last') | list }} {{ 'ab' | list }}",
    "{{ 'line1\nline2\n\nline4' | indent(2) }}|{{ 'a\nb' | indent(4, true) }}|{{ 'a\n\nb' | indent(2, blank=true) }}",
    "{{ {'a': 1, 'b': [1, 2.5, none, true], 'c': 'é\\\"\\n<>&\\''} | tojson }} {{ 'x' | tojson }} {{ [] | tojson }} {{ {} | tojson }}",
    "{{ {'b': {'c': 1}, 'a': [1, 2]} | tojson(indent=2) }}|{{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }}|{{ [1, 2] | tojson(separators=(',', ':')) }}",
    "{{ 'x' | wordwrap }}",
    "{{ {1: 'a', 2: 'b'} | tojson }} {{ {1: 'a'}[1] }} {{ 'k' | safe }}",
    # string methods
    "{{ ' a b '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ '  a'.lstrip() }}|{{ 'a  '.rstrip() }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a,b,c'.split(',', 1) }}|{{ 'a,b,c'.rsplit(',', 1) }}",
    "{{ 'Hello'.startswith('He') }} {{ 'Hello'.endswith(('x', 'lo')) }} {{ 'aXa'.replace('a', 'b') }} {{ 'abc'.upper() }} {{ 'ABC'.lower() }} {{ 'hi there'.title() }} {{ 'hi'.capitalize() }}",
    "{{ 'hello'.find('l') }} {{ 'hello'.find('z') }} {{ 'hello'.count('l') }} {{ ','.join(['a', 'b']) }} {{ 'a\nb'.splitlines() }} {{ '12'.isdigit() }} {{ 'ab'.isalpha() }}",
    "{{ '{} and {}'.format('x', 1) }} {{ '{0}{0}'.format('y') }} {{ '{name}!'.format(name='n') }}",
    "{{ '%s!' % 'x' }}",
    # sandbox and errors
    "{% set l = [1] %}{{ l.append(2) }}",
    "{% set d = {} %}{{ d.update({'a': 1}) }}",
    "{{ raise_exception('custom message') }}",
    "{{ strftime_now('%Y-%m-%d %H:%M %B %b %A %a %j %-d') }}",
    "{{ namespace(a=1).a }} {{ dict(a=1, b=2) }} {{ bos_token ~ eos_token }} {{ tools }} {{ add_generation_prompt }}",
]


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
    constructs = []
    messages = CONVERSATIONS["system-user-assistant-user"]
    for source in CONSTRUCTS:
        case = {"source": source}
        case.update(render(env, source, messages, True))
        constructs.append(case)
    document = {
        "generator": "Scripts/chat-template-fixtures.py, jinja2 " + jinja2.__version__,
        "bos_token": BOS, "eos_token": EOS, "now": FIXED_NOW.isoformat(),
        "conversations": CONVERSATIONS, "templates": fixtures, "constructs": constructs,
    }
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False, indent=1, sort_keys=False)
        f.write("\n")
    rendered = sum(1 for t in fixtures if all("text" in c for c in t["cases"]))
    print(f"{len(fixtures)} templates, {rendered} render every conversation; wrote {OUTPUT}")


if __name__ == "__main__":
    main()
