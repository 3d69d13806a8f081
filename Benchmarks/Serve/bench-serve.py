#!/usr/bin/env python3
"""`decode serve` under load, against itself one request at a time and against `decode generate`.

1. Aggregate: 16 concurrent streaming clients vs the same 16 requests one after another
   (same seeds, so the same tokens): total generated tokens per second, and the ratio. The
   requests set `ignore_eos` so that each generates --tokens tokens: without it, 7 of these 16
   seeded requests end after one token and the batch would hold 7 generations on average, not 16.
2. Time to first token for a short prompt: a streaming request's first text chunk (client clock,
   HTTP and JSON included) vs `decode generate`'s prefill plus one decode step (its own --json stats).
3. HTTP overhead per token: one streaming client's time per token after the first vs
   `decode generate`'s decode time per token, greedy, same prompt and length.

Wall-clock figures need a quiet machine; beside them the script reports CPU time (the server's
from /proc, `decode generate`'s from getrusage), which a loaded machine disturbs far less: CPU
time per token, one at a time against 16 together, and the CPU time per token the HTTP layer adds
(a 65-token minus a 1-token request, streamed, against the same difference for `decode generate`).
Starts the server itself on a free port and stops it. Prints Markdown tables and the machine's
load. Usage: bench-serve.py [--decode .build/release/decode] [--threads N] [--tokens 64] [--rounds 3]
"""
import argparse
import concurrent.futures
import json
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--decode", default=".build/release/decode")
parser.add_argument("--threads", type=int, default=os.cpu_count())
parser.add_argument("--tokens", type=int, default=64)
parser.add_argument("--clients", type=int, default=16)
parser.add_argument("--rounds", type=int, default=3)
args = parser.parse_args()

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
base = f"http://127.0.0.1:{port}"
server = subprocess.Popen([args.decode, "serve", "--port", str(port), "--threads", str(args.threads),
                           "--max-batch", str(args.clients), "--max-queued", str(args.clients)],
                          stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)


def server_cpu():
    """CPU seconds the server has used (user + system)."""
    with open(f"/proc/{server.pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def post_stream(body):
    """(seconds to the first text chunk, seconds per later chunk, tokens, total seconds)."""
    body = {**body, "stream": True, "stream_options": {"include_usage": True}}
    request = urllib.request.Request(base + "/v1/completions", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    first, times, tokens = None, [], 0
    with urllib.request.urlopen(request, timeout=3600) as response:
        for line in response:
            if not line.startswith(b"data: ") or line.startswith(b"data: [DONE]"):
                continue
            chunk = json.loads(line[6:])
            if chunk.get("usage"):
                tokens = chunk["usage"]["completion_tokens"]
            for choice in chunk["choices"]:
                if choice.get("text"):
                    now = time.perf_counter()
                    times.append(now)
                    if first is None:
                        first = now - start
    total = time.perf_counter() - start
    gaps = [b - a for a, b in zip(times, times[1:])]
    return first, (statistics.median(gaps) if gaps else float("nan")), tokens, total


def request(index, max_tokens=None):
    return {"prompt": f"Write a short story about a robot named Unit {index}.", "max_tokens": max_tokens or args.tokens,
            "temperature": 0.8, "seed": index, "ignore_eos": True}


def generate_stats(prompt, max_tokens):
    """(prefill seconds, seconds per decode step, generated tokens, CPU seconds of the whole run)."""
    # Without --json, which records log-probabilities (work the server does not do here); the
    # statistics come from stderr: "prompt: N tokens, X tok/s" and "generated: N tokens, X tok/s".
    before = children_cpu()
    out = subprocess.run([args.decode, "generate", prompt, "--max-tokens", str(max_tokens), "--temp", "0",
                          "--threads", str(args.threads)], capture_output=True, text=True, check=True)
    cpu = children_cpu() - before
    prompt_tokens, prompt_rate = map(float, re.search(r"prompt: (\d+) tokens, ([0-9.]+) tok/s", out.stderr).groups())
    generated, decode_rate = map(float, re.search(r"generated: (\d+) tokens, ([0-9.]+) tok/s", out.stderr).groups())
    prefill = prompt_tokens / prompt_rate
    step = 1 / decode_rate if decode_rate else float("nan")
    return prefill, step, int(generated), cpu


def health():
    return json.loads(urllib.request.urlopen(base + "/health", timeout=60).read())


def occupancy(before, after):
    """Per-step batch occupancy between two /health reports: (histogram {generated tokens per
    model call: calls}, mean, prefill tokens, model seconds, step seconds), or None from a
    server that does not report it."""
    if "batch_occupancy" not in after:
        return None
    old = before["batch_occupancy"] + [0] * (len(after["batch_occupancy"]) - len(before["batch_occupancy"]))
    counts = {size: n - o for size, (n, o) in enumerate(zip(after["batch_occupancy"], old)) if n - o}
    calls = sum(counts.values())
    mean = sum(size * n for size, n in counts.items()) / calls if calls else float("nan")
    return (counts, mean, after["prefill_tokens"] - before["prefill_tokens"],
            after["model_seconds"] - before["model_seconds"], after["step_seconds"] - before["step_seconds"])


def serve_cpu_run(body):
    """(generated tokens, server CPU seconds) of one streamed request."""
    before = server_cpu()
    tokens = post_stream(body)[2]
    return tokens, server_cpu() - before


try:
    for _ in range(1200):
        try:
            urllib.request.urlopen(base + "/health", timeout=1).read()
            break
        except Exception:
            if server.poll() is not None:
                sys.exit("the server exited: " + server.stderr.read().decode())
            time.sleep(0.1)
    load_before = os.getloadavg()
    post_stream(request(0, 4))  # warm up
    rows, cpu_rows, occupancy_rows = [], [], []
    paris = "The history of the city of Paris"
    for round_index in range(args.rounds):
        cpu = server_cpu()
        start = time.perf_counter()
        sequential = [post_stream(request(i)) for i in range(args.clients)]
        sequential_time = time.perf_counter() - start
        sequential_cpu = server_cpu() - cpu
        cpu = server_cpu()
        health_before = health()
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            concurrent_results = list(pool.map(post_stream, [request(i) for i in range(args.clients)]))
        concurrent_time = time.perf_counter() - start
        concurrent_cpu = server_cpu() - cpu
        occupancy_rows.append(occupancy(health_before, health()))
        sequential_tokens = sum(r[2] for r in sequential)
        concurrent_tokens = sum(r[2] for r in concurrent_results)
        short = "Hi"
        server_first = post_stream({"prompt": short, "max_tokens": 1, "temperature": 0})[0]
        generate_prefill, generate_step, _, _ = generate_stats(short, 1)
        server_gap = post_stream({"prompt": paris, "max_tokens": args.tokens, "temperature": 0})[1]
        generate_gap = generate_stats(paris, args.tokens)[1]
        # CPU time per token: a long run minus a one-token run, server (streamed) and generate.
        long_tokens, long_cpu = serve_cpu_run({"prompt": paris, "max_tokens": args.tokens + 1, "temperature": 0})
        short_tokens, short_cpu = serve_cpu_run({"prompt": paris, "max_tokens": 1, "temperature": 0})
        serve_token_cpu = (long_cpu - short_cpu) / (long_tokens - short_tokens)
        _, _, g_long_tokens, g_long_cpu = generate_stats(paris, args.tokens + 1)
        _, _, g_short_tokens, g_short_cpu = generate_stats(paris, 1)
        generate_token_cpu = (g_long_cpu - g_short_cpu) / (g_long_tokens - g_short_tokens)
        rows.append((sequential_tokens / sequential_time, concurrent_tokens / concurrent_time, server_first,
                     generate_prefill + generate_step, server_gap, generate_gap))
        cpu_rows.append((sequential_cpu / sequential_tokens, concurrent_cpu / concurrent_tokens, serve_token_cpu,
                         generate_token_cpu))
    load_after = os.getloadavg()
    print("Wall clock:\n")
    print(f"| round | one at a time tok/s | {args.clients} concurrent tok/s | ratio | TTFT serve ms | "
          f"TTFT generate ms | ratio | ms/token serve | ms/token generate | HTTP overhead |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for index, (seq, con, ttft, gen_ttft, gap, gen_gap) in enumerate(rows):
        print(f"| {index + 1} | {seq:.1f} | {con:.1f} | {con / seq:.2f}x | {ttft * 1e3:.1f} | {gen_ttft * 1e3:.1f} | "
              f"{ttft / gen_ttft:.2f}x | {gap * 1e3:.2f} | {gen_gap * 1e3:.2f} | {(gap / gen_gap - 1) * 100:+.1f}% |")
    print("\nCPU time per generated token:\n")
    print(f"| round | one at a time ms | {args.clients} concurrent ms | ratio | serve streamed ms | generate ms | "
          f"HTTP overhead |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for index, (seq, con, serve, generate) in enumerate(cpu_rows):
        print(f"| {index + 1} | {seq * 1e3:.2f} | {con * 1e3:.2f} | {seq / con:.2f}x | {serve * 1e3:.2f} | "
              f"{generate * 1e3:.2f} | {(serve / generate - 1) * 100:+.1f}% |")
    if any(occupancy_rows):
        print(f"\nBatch occupancy of the {args.clients} concurrent clients' model calls (generated tokens per call: calls), "
              "and the scheduler's seconds in model calls and in the steps between them:\n")
        print("| round | occupancy | mean | prefill tokens | model s | steps s |")
        print("| --- | --- | --- | --- | --- | --- |")
        for index, (counts, mean, prefill, model_s, step_s) in enumerate(r for r in occupancy_rows if r):
            histogram = " ".join(f"{size}:{n}" for size, n in sorted(counts.items()))
            print(f"| {index + 1} | {histogram} | {mean:.1f} | {prefill} | {model_s:.2f} | {step_s:.2f} |")
    print(f"\nthreads {args.threads}, {args.tokens} tokens per request; load average before "
          f"{load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} cores)")
finally:
    server.terminate()
    server.wait()
