#!/usr/bin/env python3
"""Side-by-side speed of swift-decoding's runtime and llama.cpp on the same GGUF file.

Runs `decode bench` (the hidden bench subcommand of this package's CLI) and llama.cpp through
llama-cpp-python, each in its own process, on the same model, thread count and token ids, in
one run, and prints a Markdown table of ratios:

  single-sequence decode tok/s, prefill tok/s of a 200-token prompt, batches of 4 and 16
  sequences decoding together (ours), a 16-node token tree against one token (ours; for
  llama.cpp, 16 tokens in one call with all 16 rows of logits against one token), peak RSS.

Usage (from the repository root, after `swift build -c release --product decode`):

  python3 Benchmarks/llama-cpp/compare.py [--model PATH] [--threads N] [--decode-tokens N] [--rounds N]

Each engine is measured `--rounds` times, alternating, and the best round of each is kept, so
a machine shared with other work disturbs both alike. Targets are the project's, for reading
the table; nothing here asserts them.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def prompt_ids(count):
    # The same fixed sequence `decode bench` uses.
    return [200 + (i * 7919) % 20000 for i in range(count)]


def open_warm_model(model_path, threads, ids, **options):
    """llama.cpp on `threads` threads, warmed up on the first 16 of `ids` and reset."""
    sys.path.insert(0, HERE)
    from llama_cpp_setup import open_model

    model = open_model(model_path, threads, n_ctx=2048, n_batch=512, **options)
    model.eval(ids[:16])  # warm up
    model.reset()
    return model


def greedy_decode_seconds(model, count):
    """Seconds to decode `count` greedy tokens one by one after what `model` has evaluated."""
    import numpy as np

    token = int(np.argmax(model.scores[model.n_tokens - 1]))
    start = time.perf_counter()
    for _ in range(count):
        model.eval([token])
        token = int(np.argmax(model.scores[model.n_tokens - 1]))
    return time.perf_counter() - start


def llama_worker(model_path, threads, prompt_tokens, decode_tokens):
    sys.path.insert(0, HERE)
    from llama_cpp_setup import open_model

    ids = prompt_ids(prompt_tokens)
    model = open_warm_model(model_path, threads, ids)
    start = time.perf_counter()
    model.eval(ids)
    prefill = time.perf_counter() - start
    decode = greedy_decode_seconds(model, decode_tokens)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # before the all-logits model below
    del model
    # Its own "tree" figure: 16 tokens after the prompt in one call with logits for all 16 (a
    # chain; a tree costs llama.cpp the same, it only changes the mask), against one token, best
    # of 10 each; `eval` drops the cache past `n_tokens` first.
    model = open_model(model_path, threads, n_ctx=2048, n_batch=512, logits_all=True)
    model.eval(ids)
    sixteen = [400 + i * 13 for i in range(16)]

    def best_of(tokens):
        times = []
        for _ in range(10):
            model.n_tokens = len(ids)
            start = time.perf_counter()
            model.eval(tokens)
            times.append(time.perf_counter() - start)
        return min(times)

    batch16 = best_of(sixteen)
    single = best_of(sixteen[:1])
    print(json.dumps({
        "sixteen_over_single": batch16 / single,
        "prefill_tokens_per_second": prompt_tokens / prefill,
        "decode_tokens_per_second": decode_tokens / decode,
        "peak_memory_bytes": peak,
    }))


def run_json(command):
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def best(rounds, key, higher=True):
    values = [r[key] for r in rounds]
    return max(values) if higher else min(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=os.path.join(ROOT, ".models", "SmolLM2-135M-Instruct.Q4_1.gguf"))
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--prompt-tokens", type=int, default=200)
    parser.add_argument("--decode-tokens", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--decode-binary", default=os.path.join(ROOT, ".build", "release", "decode"))
    parser.add_argument("--llama-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.llama_worker:
        llama_worker(args.model, args.threads, args.prompt_tokens, args.decode_tokens)
        return
    if not os.path.exists(args.decode_binary):
        sys.exit(f"{args.decode_binary} not found: run `swift build -c release --product decode` first")

    ours_rounds, theirs_rounds = [], []
    for _ in range(args.rounds):
        ours_rounds.append(run_json([
            args.decode_binary, "bench", "--model", args.model, "--threads", str(args.threads),
            "--prompt-tokens", str(args.prompt_tokens), "--decode-tokens", str(args.decode_tokens)]))
        theirs_rounds.append(run_json([
            sys.executable, os.path.abspath(__file__), "--llama-worker", "--model", args.model,
            "--threads", str(args.threads), "--prompt-tokens", str(args.prompt_tokens),
            "--decode-tokens", str(args.decode_tokens)]))

    ours_decode = best(ours_rounds, "decode_tokens_per_second")
    ours_prefill = best(ours_rounds, "prefill_tokens_per_second")
    theirs_decode = best(theirs_rounds, "decode_tokens_per_second")
    theirs_prefill = best(theirs_rounds, "prefill_tokens_per_second")
    batch4 = best(ours_rounds, "batch_4_tokens_per_second")
    batch16 = best(ours_rounds, "batch_16_tokens_per_second")
    tree = best(ours_rounds, "tree_16_over_single", higher=False)
    theirs_sixteen = best(theirs_rounds, "sixteen_over_single", higher=False)
    ours_rss = best(ours_rounds, "peak_memory_bytes", higher=False) / 2**20
    theirs_rss = best(theirs_rounds, "peak_memory_bytes", higher=False) / 2**20

    def row(name, ours, theirs, ratio, target, unit=""):
        return f"| {name} | {ours}{unit} | {theirs}{unit} | {ratio} | {target} |"

    print(f"Model {os.path.basename(args.model)}, {args.threads} threads, "
          f"best of {args.rounds} rounds each, load average {os.getloadavg()[0]:.1f}\n")
    print("| measure | swift-decoding | llama.cpp | ratio | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    print(row("decode, 1 sequence (tok/s)", f"{ours_decode:.1f}", f"{theirs_decode:.1f}",
              f"{ours_decode / theirs_decode:.2f}×", "≥ 0.8×"))
    print(row(f"prefill, {args.prompt_tokens} tokens (tok/s)", f"{ours_prefill:.1f}", f"{theirs_prefill:.1f}",
              f"{ours_prefill / theirs_prefill:.2f}×", "≥ 0.5×"))
    print(row("4 sequences together (tok/s, vs our 1)", f"{batch4:.1f}", "", f"{batch4 / ours_decode:.2f}×", ""))
    print(row("16 sequences together (tok/s, vs our 1)", f"{batch16:.1f}", "", f"{batch16 / ours_decode:.2f}×", "≥ 4×"))
    print(row("16-node tree / 1 token (time; llama.cpp: 16 tokens in one call)", f"{tree:.2f}×",
              f"{theirs_sixteen:.2f}×", f"{tree / theirs_sixteen:.2f}×", "≤ 3× (ours)"))
    print(row("peak RSS (MiB)", f"{ours_rss:.0f}", f"{theirs_rss:.0f}", f"{ours_rss / theirs_rss:.2f}×", "≤ 400 MiB"))


if __name__ == "__main__":
    main()
