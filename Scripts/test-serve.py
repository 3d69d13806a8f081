#!/usr/bin/env python3
"""The official `openai` client against a running `decode serve` (Scripts/test-serve.sh starts it).

Checks completions, chat, streaming, logprobs, response_format with a JSON Schema (the output
validated by `jsonschema`), the extension fields (regex, grammar, strategy,
return_tokens_as_token_ids), the error bodies, 16 concurrent streaming clients, a client that
disconnects mid-stream or before a whole (unstreamed) response, more clients than the queue takes, and the server's memory over rounds.

Usage: test-serve.py BASE_URL SERVER_PID   (the server runs with --max-context 512 --max-batch 16 --max-queued 4)
"""
import concurrent.futures
import http.client
import json
import re
import sys
import time
import traceback
import urllib.error
import urllib.request
from urllib.parse import urlparse

import jsonschema
import openai

BASE = sys.argv[1].rstrip("/")
SERVER_PID = int(sys.argv[2])
client = openai.OpenAI(base_url=BASE + "/v1", api_key="unused", max_retries=0, timeout=600)
MODEL = client.models.list().data[0].id
TESTS = []


def test(function):
    TESTS.append(function)
    return function


def raw(method, path, body=None):
    """(status, parsed JSON) of a request sent as given."""
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(BASE + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def health():
    return raw("GET", "/health")[1]


def check_error_body(body, param=None):
    error = body["error"]
    assert isinstance(error["message"], str) and error["message"], body
    assert isinstance(error["type"], str) and isinstance(error["code"], str), body
    if param is not None:
        assert error["param"] == param, body


@test
def models_and_health():
    models = client.models.list().data
    assert len(models) == 1 and models[0].object == "model"
    status, body = raw("GET", "/health")
    assert status == 200 and body["status"] == "ok" and body["model"] == MODEL, body


@test
def completion_greedy_is_deterministic():
    first = client.completions.create(model=MODEL, prompt="The capital of France is", max_tokens=12, temperature=0)
    second = client.completions.create(model=MODEL, prompt="The capital of France is", max_tokens=12, temperature=0)
    assert first.choices[0].text == second.choices[0].text and first.choices[0].text, first
    assert first.choices[0].finish_reason in ("length", "stop")
    assert first.usage.completion_tokens <= 12 and first.usage.prompt_tokens > 0


@test
def completion_with_token_ids_and_seed():
    prompt = [504, 3258, 282]
    one = client.completions.create(model=MODEL, prompt=prompt, max_tokens=10, seed=5, temperature=0.9,
                                    extra_body={"top_k": 40, "min_p": 0.05, "repetition_penalty": 1.1})
    two = client.completions.create(model=MODEL, prompt=prompt, max_tokens=10, seed=5, temperature=0.9,
                                    extra_body={"top_k": 40, "min_p": 0.05, "repetition_penalty": 1.1})
    assert one.choices[0].text == two.choices[0].text, (one, two)
    assert one.usage.prompt_tokens == 3


@test
def chat_and_stop_string():
    response = client.chat.completions.create(model=MODEL, messages=[
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Count from 1 to 9 separated by commas."}], max_tokens=40, temperature=0, stop=["5"])
    choice = response.choices[0]
    assert choice.message.role == "assistant"
    assert "5" not in choice.message.content, choice.message.content
    assert response.object == "chat.completion"


@test
def n_choices():
    response = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Say a word."}],
                                              max_tokens=6, n=3, seed=1, temperature=1.0)
    assert [c.index for c in response.choices] == [0, 1, 2]
    assert 3 <= response.usage.completion_tokens <= 18, response.usage


@test
def chat_streaming_matches_non_streaming():
    arguments = dict(model=MODEL, messages=[{"role": "user", "content": "Tell me about cats."}], max_tokens=24,
                     temperature=0.7, seed=11)
    whole = client.chat.completions.create(**arguments).choices[0].message.content
    pieces, finish, usage = [], None, None
    for chunk in client.chat.completions.create(**arguments, stream=True, stream_options={"include_usage": True}):
        if chunk.usage:
            usage = chunk.usage
        for choice in chunk.choices:
            pieces.append(choice.delta.content or "")
            finish = choice.finish_reason or finish
    assert "".join(pieces) == whole, ("".join(pieces), whole)
    assert finish in ("stop", "length") and usage is not None and usage.completion_tokens > 0


@test
def completion_streaming():
    texts = [c.choices[0].text for c in client.completions.create(
        model=MODEL, prompt="Once upon a time", max_tokens=16, temperature=0, stream=True) if c.choices]
    whole = client.completions.create(model=MODEL, prompt="Once upon a time", max_tokens=16, temperature=0)
    assert "".join(texts) == whole.choices[0].text


@test
def chat_logprobs():
    response = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Hi!"}], max_tokens=8,
                                              temperature=0, logprobs=True, top_logprobs=3)
    content = response.choices[0].logprobs.content
    assert len(content) == response.usage.completion_tokens
    for entry in content:
        assert len(entry.top_logprobs) == 3
        assert entry.logprob <= 0 and abs(entry.logprob - entry.top_logprobs[0].logprob) < 1e-6  # greedy
        assert bytes(entry.bytes).decode("utf-8", "replace") == entry.token or not entry.bytes


@test
def legacy_logprobs_over_the_whole_vocabulary_as_token_ids():
    response = client.completions.create(model=MODEL, prompt="Hello", max_tokens=2, temperature=0, logprobs=49152,
                                         extra_body={"return_tokens_as_token_ids": True})
    logprobs = response.choices[0].logprobs
    assert all(token.startswith("token_id:") for token in logprobs.tokens)
    for top in logprobs.top_logprobs:
        assert len(top) == 49152
        total = sum(pow(2.718281828459045, value) for value in top.values())
        assert abs(total - 1) < 1e-3, total


SCHEMA = {"type": "object", "properties": {"name": {"type": "string", "maxLength": 20},
                                          "age": {"type": "integer", "minimum": 0, "maximum": 120},
                                          "pets": {"type": "array", "items": {"enum": ["cat", "dog"]}, "maxItems": 3}},
          "required": ["name", "age", "pets"], "additionalProperties": False}


@test
def response_format_json_schema():
    for strategy in (None, "lcd", "smc:2"):
        extra = {"strategy": strategy} if strategy else {}
        response = client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "Describe a person as JSON."}], max_tokens=80,
            temperature=0.8, seed=3, response_format={"type": "json_schema", "json_schema": {"name": "person", "schema": SCHEMA}},
            extra_body=extra)
        text = response.choices[0].message.content
        assert response.choices[0].finish_reason == "stop", (strategy, text)
        jsonschema.validate(json.loads(text), SCHEMA)


@test
def response_format_json_object():
    response = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Give a JSON object with a name and a city."}],
        max_tokens=200, temperature=0, response_format={"type": "json_object"})
    assert response.choices[0].finish_reason == "stop", response
    assert isinstance(json.loads(response.choices[0].message.content), dict)


@test
def regex_grammar_and_strategy_extensions():
    phone = client.completions.create(model=MODEL, prompt="My phone number is ", max_tokens=20, temperature=0,
                                      extra_body={"regex": "[0-9]{3}-[0-9]{4}"}).choices[0].text
    assert re.fullmatch(r"[0-9]{3}-[0-9]{4}", phone), phone
    answer = client.completions.create(model=MODEL, prompt="Is the sky blue? Answer:", max_tokens=5, temperature=0,
                                       extra_body={"grammar": 'root ::= " yes" | " no"', "strategy": "lcd"}).choices[0].text
    assert answer in (" yes", " no"), answer
    for strategy in ("greedy", "beam:2", "best-of-n:2", "cautious"):
        response = client.completions.create(model=MODEL, prompt="The weather today", max_tokens=8, temperature=0.7,
                                             seed=2, extra_body={"strategy": strategy})
        assert response.choices[0].text is not None and response.usage.completion_tokens >= 1, strategy


@test
def ignore_eos_runs_to_max_tokens():
    # This seeded request ends at end-of-sequence after a token or so; with ignore_eos it cannot.
    request = dict(model=MODEL, prompt="Write a short story about a robot named Unit 2.", max_tokens=40,
                   temperature=0.8, seed=2)
    ended = client.completions.create(**request)
    assert ended.usage.completion_tokens < 40 and ended.choices[0].finish_reason == "stop", ended
    kept = client.completions.create(**request, extra_body={"ignore_eos": True})
    assert kept.usage.completion_tokens == 40 and kept.choices[0].finish_reason == "length", kept


@test
def errors_are_openai_error_bodies():
    cases = [
        (dict(max_tokens=0), "max_tokens"),
        (dict(extra_body={"strategy": "warp:9"}), "strategy"),
        (dict(extra_body={"regex": "[0-"}), "regex"),
        (dict(extra_body={"response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": 5}}}}),
         "response_format.json_schema.schema"),
        (dict(prompt="word " * 600), "prompt"),
    ]
    for arguments, param in cases:
        arguments = {"model": MODEL, "prompt": "Hi", "max_tokens": 4, **arguments}
        try:
            client.completions.create(**arguments)
            raise AssertionError(f"accepted: {param}")
        except openai.BadRequestError as error:
            assert error.status_code == 400
            check_error_body(error.body if "error" in (error.body or {}) else {"error": error.body}, param)
    try:
        client.completions.create(model="not-this-one", prompt="Hi", max_tokens=2)
        raise AssertionError("an unknown model was accepted")
    except openai.NotFoundError as error:
        assert error.status_code == 404
    status, body = raw("POST", "/v1/completions", '{"prompt": "Hi", ')
    assert status == 400
    check_error_body(body)
    status, body = raw("POST", "/v1/completions", '{"prompt": "Hi", "temperature": "hot"}')
    assert status == 400
    check_error_body(body, "temperature")
    status, body = raw("POST", "/v1/chat/completions", '{"messages": "Hi"}')
    assert status == 400
    check_error_body(body, "messages")
    assert health()["status"] == "ok"


def stream_one(index, max_tokens=32):
    """A streaming chat request; returns (text, finish_reason, completion tokens)."""
    pieces, finish, usage = [], None, None
    stream = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": f"Write a sentence about the number {index}."}],
        max_tokens=max_tokens, temperature=0.8, seed=index, stream=True, stream_options={"include_usage": True})
    for chunk in stream:
        if chunk.usage:
            usage = chunk.usage.completion_tokens
        for choice in chunk.choices:
            pieces.append(choice.delta.content or "")
            finish = choice.finish_reason or finish
    return "".join(pieces), finish, usage


def rss_kib():
    with open(f"/proc/{SERVER_PID}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@test
def sixteen_concurrent_streaming_clients_over_rounds():
    memory = []
    for _ in range(3):
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            results = list(pool.map(stream_one, range(16)))
        for text, finish, tokens in results:
            assert finish in ("stop", "length") and tokens and tokens > 0, (text, finish, tokens)
        # Each stream's text is what the same request gives alone and unstreamed.
        alone = client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "Write a sentence about the number 3."}],
            max_tokens=32, temperature=0.8, seed=3).choices[0].message.content
        assert results[3][0] == alone, (results[3][0], alone)
        memory.append(rss_kib())
    # Memory is stable over rounds: the later rounds grow the first's resident set by < 32 MiB.
    assert memory[-1] - memory[0] < 32 * 1024, memory
    print(f"    resident memory after each round (KiB): {memory}")


def wait_until(condition, seconds):
    """Polls `condition` every 10 ms for up to `seconds`; whether it came true."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def disconnect_and_wait_until_idle(connection):
    """Drops the client's connection and waits (up to 30 s) until no generation is active."""
    connection.sock.shutdown(2)
    connection.close()
    wait_until(lambda: health()["active"] == 0, seconds=30)


@test
def a_client_disconnecting_mid_stream_frees_its_generation():
    url = urlparse(BASE)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    body = json.dumps({"model": MODEL, "prompt": "A long story:", "max_tokens": 400, "temperature": 0.8,
                       "stream": True})
    connection.request("POST", "/v1/completions", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.status == 200
    events = 0
    while events < 3:
        line = response.fp.readline()
        if line.startswith(b"data: "):
            events += 1
    assert health()["active"] >= 1
    disconnect_and_wait_until_idle(connection)
    assert health()["active"] == 0, health()
    assert client.completions.create(model=MODEL, prompt="Still there?", max_tokens=3, temperature=0).choices


@test
def a_client_disconnecting_before_a_whole_response_frees_its_generation():
    # Not streamed: nothing is written before the end, so the server must watch the connection.
    # The regex keeps end-of-sequence out of reach, so only the disconnect can end it early.
    before = health()["cancelled"]
    url = urlparse(BASE)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    body = json.dumps({"model": MODEL, "prompt": "Letters:", "max_tokens": 400, "temperature": 0.8,
                       "regex": "[a-z ]{2000}"})
    connection.request("POST", "/v1/completions", body, {"Content-Type": "application/json"})
    if not wait_until(lambda: health()["active"] >= 1, seconds=30):
        # Say what the server did instead (an error, or a response already whole).
        response = connection.getresponse()
        raise AssertionError(f"never active: {health()}; the server answered {response.status}: {response.read()[:300]!r}")
    disconnect_and_wait_until_idle(connection)
    after = health()
    assert after["active"] == 0 and after["cancelled"] == before + 1, (before, after)
    assert client.completions.create(model=MODEL, prompt="Still there?", max_tokens=3, temperature=0).choices


@test
def more_clients_than_the_queue_takes_get_429():
    def one(index):
        try:
            client.completions.create(model=MODEL, prompt=f"Request {index}:", max_tokens=24, temperature=0)
            return "ok"
        except openai.RateLimitError as error:
            assert error.status_code == 429
            check_error_body(error.body if "error" in (error.body or {}) else {"error": error.body})
            return "429"
    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        outcomes = list(pool.map(one, range(32)))
    assert outcomes.count("429") >= 1 and outcomes.count("ok") >= 16, outcomes
    assert health()["queued"] == 0


def main():
    failed = 0
    for function in TESTS:
        start = time.time()
        try:
            function()
            print(f"PASS {function.__name__} ({time.time() - start:.1f} s)")
        except Exception:
            failed += 1
            print(f"FAIL {function.__name__}")
            traceback.print_exc()
    print(f"{len(TESTS) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
