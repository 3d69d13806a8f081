#!/usr/bin/env python3
"""`decode generate --remote` and `decode compare --remote` against llama.cpp (llama-cpp-python 0.3.36).

llama-cpp-python's own server (`python3 -m llama_cpp.server`, the `[server]` extra) cannot be the
remote model as it is: its `/v1/completions` refuses a prompt of token ids ("Input should be a
valid string") and keys `top_logprobs` by token text, which does not name a token (pieces that are
not whole UTF-8 decode to "", and different tokens share a text). So this script serves llama.cpp
the way vLLM's API does what `--remote` needs: `POST /v1/completions` with a token-id `prompt`,
`max_tokens` 1 and `logprobs` k, answering `top_logprobs` keyed `token_id:N` (vLLM's
`return_tokens_as_token_ids`), the log-softmax of llama.cpp's logits after the prompt. The engine is
llama-cpp-python's `Llama` opened with `use_extra_bufts=False` (Benchmarks/llama-cpp/llama_cpp_setup.py;
without it this CPU dies with SIGILL); each request reuses the longest cached prefix, as llama.cpp's
server does.

Then, at temperature 0 with exact strategies (greedy, beam:2, best-of-n is not deterministic), it runs
`decode generate` on prompts locally and with `--remote`, and reports where the tokens agree, the
first divergence (llama.cpp and this runtime round differently, so a near tie can flip) and the
probability mass outside the top k per evaluation; then `decode compare --remote` on a few built-in
tasks beside the local run. Benchmark only (not CI).

Usage: remote-llama-cpp.py [--decode .build/release/decode] [--top 20] [--tokens 24]
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "llama-cpp"))
from llama_cpp_setup import open_model  # noqa: E402  (use_extra_bufts=False)

parser = argparse.ArgumentParser()
parser.add_argument("--decode", default=".build/release/decode")
parser.add_argument("--model", default=".models/SmolLM2-135M-Instruct.Q4_1.gguf")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--top", type=int, default=20)
parser.add_argument("--tokens", type=int, default=24)
args = parser.parse_args()

llm = open_model(args.model, args.threads, n_ctx=2048)
lock = threading.Lock()


def top_logprobs(prompt, k):
    """llama.cpp's log-probabilities after `prompt`, the k largest, reusing the cached prefix."""
    with lock:
        common = 0
        for cached, token in zip(llm.input_ids[:llm.n_tokens], prompt):
            if cached != token:
                break
            common += 1
        llm.n_tokens = min(common, len(prompt) - 1)  # the last token is evaluated again for its logits
        llm.eval(prompt[llm.n_tokens:])
        logits = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),)).astype(np.float64)
    logprobs = logits - logits.max()
    logprobs -= np.log(np.exp(logprobs).sum())
    best = np.argsort(-logprobs, kind="stable")[:k]
    return {f"token_id:{int(i)}": float(logprobs[i]) for i in best}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *_):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.reply(200, {"object": "list", "data": [{"id": "llama.cpp", "object": "model"}]})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = body.get("prompt")
        if self.path != "/v1/completions" or not isinstance(prompt, list) or not prompt or body.get("max_tokens") != 1:
            return self.reply(400, {"error": {"message": "token-id prompt and max_tokens 1 only", "type": "invalid_request_error"}})
        top = top_logprobs(prompt, int(body.get("logprobs") or 1))
        self.reply(200, {"object": "text_completion", "choices": [{
            "index": 0, "text": "", "finish_reason": "length",
            "logprobs": {"tokens": [next(iter(top))], "token_logprobs": [next(iter(top.values()))],
                         "top_logprobs": [top]}}]})


with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
remote = f"http://127.0.0.1:{port}"

PROMPTS = ["The capital of France is", "def fibonacci(n):", "Water boils at a temperature of",
           "The three primary colors are", "Once upon a time, in a small village,"]


def generate(prompt, strategy, use_remote):
    command = [args.decode, "generate", prompt, "--model", args.model, "--max-tokens", str(args.tokens), "--temp", "0",
               "--strategy", strategy, "--threads", str(args.threads), "--json"]
    if use_remote:
        command += ["--remote", remote, "--remote-top-logprobs", str(args.top)]
    else:
        command += ["--top-logprobs", "2"]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        return None, run.stderr.strip().splitlines()[-1:]
    masses = None
    if use_remote:
        # The truncated mass is in the plain summary (stderr), which --json leaves out: run again.
        plain = subprocess.run([part for part in command if part != "--json"], capture_output=True, text=True)
        found = re.search(r"mass outside the top \d+: largest ([0-9.]+), mean ([0-9.]+)", plain.stderr)
        masses = found.groups() if found else None
    output = json.loads(run.stdout)
    if not use_remote:
        # The local top-2 gap (nats) at each position: a divergence at a small gap is a near tie.
        gaps = [row[0]["logprob"] - row[1]["logprob"] if len(row) > 1 else float("inf")
                for row in output.get("top_logprobs") or []]
        return output["tokens"], gaps
    return output["tokens"], masses


print(f"llama.cpp (llama-cpp-python 0.3.36) on {args.model}, top {args.top} log-probabilities per evaluation, "
      f"{args.tokens} tokens, temperature 0\n")
print("| strategy | prompt | tokens equal | first divergence | truncated mass per evaluation: largest / mean |")
print("| --- | --- | --- | --- | --- |")
equal = total = 0
for strategy in ["greedy", "beam:2"]:
    for prompt in PROMPTS:
        local, gaps = generate(prompt, strategy, False)
        far, masses = generate(prompt, strategy, True)
        if far is None:
            print(f"| {strategy} | {prompt} | error: {masses} | | |")
            continue
        same = local == far
        equal += same
        total += 1
        divergence = next((i for i, (a, b) in enumerate(zip(local, far)) if a != b), None)
        mass = f"{float(masses[0]):.4f} / {float(masses[1]):.4f}" if masses else "n/a"
        where = "-" if divergence is None else f"token {divergence}"
        if divergence is not None and strategy == "greedy" and divergence < len(gaps):
            where += f" (local top-2 gap {gaps[divergence]:.3f} nats)"
        print(f"| {strategy} | {prompt} | {'yes' if same else 'no'} | {where} | {mass} |")
print(f"\n{equal}/{total} runs give the same tokens through llama.cpp as locally.\n")

start = time.time()
tasks = subprocess.run([args.decode, "compare", "--model", args.model, "--strategies", "greedy,beam:2",
                        "--max-tokens", "16", "--threads", str(args.threads), "--shard", "1/5", "--quiet", "--remote", remote,
                        "--format", "md"], capture_output=True, text=True)
print("`decode compare --remote` (llama.cpp), 6 of the 30 built-in tasks (--shard 1/5):\n")
print(tasks.stdout.strip() if tasks.returncode == 0 else "error: " + tasks.stderr.strip()[-400:])
local_tasks = subprocess.run([args.decode, "compare", "--model", args.model, "--strategies", "greedy,beam:2",
                              "--max-tokens", "16", "--threads", str(args.threads), "--shard", "1/5", "--quiet", "--format", "md"],
                             capture_output=True, text=True)
print("\nThe same tasks locally:\n")
print(local_tasks.stdout.strip() if local_tasks.returncode == 0 else "error: " + local_tasks.stderr.strip()[-400:])
print(f"\nload average {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores), {time.time() - start:.0f} s for the compare runs")
server.shutdown()
