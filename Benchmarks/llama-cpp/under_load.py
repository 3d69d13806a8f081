#!/usr/bin/env python3
"""Single-sequence decode speed with and without a competing process busy on one core.

Runs, side by side in one run: this package's runtime on 1 thread, on its default thread count
(every core; the pool adapts when workers are kept waiting) and llama.cpp (llama-cpp-python) on
every core; first on the machine as it is, then with one busy-loop process (`while True: pass`,
pinned nowhere) competing for a core. Each measurement is its own process; the rounds
interleave the three and rotate their order, and the table reports medians (and the range),
with the load average before and after each phase.

Usage (from the repository root, after `swift build -c release --product decode`):

  python3 Benchmarks/llama-cpp/under_load.py [--rounds 5] [--decode-tokens 128] [--phases quiet,loaded]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from compare import greedy_decode_seconds, open_warm_model, prompt_ids  # noqa: E402


def llama_worker(model_path, threads, prompt_tokens, decode_tokens):
    ids = prompt_ids(prompt_tokens)
    model = open_warm_model(model_path, threads, ids)
    model.eval(ids)
    seconds = greedy_decode_seconds(model, decode_tokens)
    print(json.dumps({"decode_tokens_per_second": decode_tokens / seconds}))


def run_json(command):
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(args, engines, label):
    results = {name: [] for name, _ in engines}
    before = os.getloadavg()
    for round_index in range(args.rounds):
        shift = round_index % len(engines)
        for name, command in engines[shift:] + engines[:shift]:
            results[name].append(run_json(command)["decode_tokens_per_second"])
    after = os.getloadavg()
    medians = {name: statistics.median(values) for name, values in results.items()}
    print(f"\n{label}: load average (1 min) {before[0]:.1f} before, {after[0]:.1f} after; "
          f"median of {args.rounds} interleaved rounds\n")
    print("| engine | decode tok/s (median) | range |")
    print("| --- | ---: | ---: |")
    for name, values in results.items():
        print(f"| {name} | {medians[name]:.1f} | {min(values):.1f}–{max(values):.1f} |")
    return medians


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=os.path.join(ROOT, ".models", "SmolLM2-135M-Instruct.Q4_1.gguf"))
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="llama.cpp's threads (default: every core)")
    parser.add_argument("--prompt-tokens", type=int, default=32)
    parser.add_argument("--decode-tokens", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--phases", default="quiet,loaded", help="comma-separated: quiet, loaded")
    parser.add_argument("--decode-binary", default=os.path.join(ROOT, ".build", "release", "decode"))
    parser.add_argument("--llama-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.llama_worker:
        llama_worker(args.model, args.threads, args.prompt_tokens, args.decode_tokens)
        return
    if args.prompt_tokens + args.decode_tokens >= 512:
        # llama-cpp-python keeps logits rows for n_batch = 512 positions without logits_all.
        parser.error("--prompt-tokens plus --decode-tokens must stay below 512")
    if not os.path.exists(args.decode_binary):
        sys.exit(f"{args.decode_binary} not found: run `swift build -c release --product decode` first")

    ours = [args.decode_binary, "bench", "--decode-only", "--model", args.model,
            "--prompt-tokens", str(args.prompt_tokens), "--decode-tokens", str(args.decode_tokens)]
    engines = [
        ("swift-decoding, 1 thread", ours + ["--threads", "1"]),
        ("swift-decoding, default threads", ours),
        (f"llama.cpp, {args.threads} threads", [
            sys.executable, os.path.abspath(__file__), "--llama-worker", "--model", args.model,
            "--threads", str(args.threads), "--prompt-tokens", str(args.prompt_tokens),
            "--decode-tokens", str(args.decode_tokens)]),
    ]
    print(f"Model {os.path.basename(args.model)}, {os.cpu_count()} cores, {args.decode_tokens} tokens decoded "
          f"after a {args.prompt_tokens}-token prompt")
    for phase in args.phases.split(","):
        if phase == "quiet":
            medians = measure(args, engines, "Without a competing process")
        elif phase == "loaded":
            busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
            try:
                time.sleep(1)
                medians = measure(args, engines, "With one busy-loop process competing for a core")
            finally:
                busy.kill()
                busy.wait()
        else:
            sys.exit(f"unknown phase {phase!r}: use quiet, loaded")
        one, default, llama = (medians[name] for name, _ in engines)
        print(f"\ndefault / 1 thread: {default / one:.2f}×; default / llama.cpp: {default / llama:.2f}×; "
              f"1 thread / llama.cpp: {one / llama:.2f}×")


if __name__ == "__main__":
    main()
