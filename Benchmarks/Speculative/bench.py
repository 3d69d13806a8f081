#!/usr/bin/env python3
"""Speculative decoding against plain decoding on the default model, in one run.

For every prompt of prompts.json (copy-heavy: repeat a passage, edit code, fill JSON records with
repeated keys; open-ended chat), at temperature 0 and 0.8 (seed 1, llama.cpp's default top-k/top-p/
min-p), runs `decode generate --chat --json` plainly and with each drafter and tree shape, and
reads the decode-phase tokens per second (prefill excluded) and the speculative statistics. Then
the outside anchor: llama.cpp (llama-cpp-python) plain against its prompt-lookup speculative
decoding (`LlamaPromptLookupDecoding`) on the same prompt tokens and settings, also decode phase
only. Everything is reported as a ratio to plain decoding of the same runtime.

Usage (from the repository root):
    swift build -c release --product decode
    python3 Benchmarks/Speculative/bench.py [--max-tokens 80] [--layerskip 24] [--results out.jsonl]
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DECODE = os.path.join(ROOT, ".build", "release", "decode")


def configurations(layerskip):
    ngram = ["--speculative", "ngram"]
    skip = ["--speculative", f"layerskip:{layerskip}"]
    return [
        ("plain", []),
        ("ngram chain 8", ngram + ["--tree", "chain", "--draft-depth", "8"]),
        ("ngram static 2-1-1-1-1-1-1-1", ngram + ["--tree", "static", "--tree-branching", "2,1,1,1,1,1,1,1"]),
        ("ngram dynamic B8 D8", ngram + ["--tree", "dynamic", "--tree-budget", "8", "--draft-depth", "8"]),
        ("ngram dynamic auto D8", ngram + ["--tree", "dynamic", "--tree-budget", "auto", "--draft-depth", "8"]),
        (f"layerskip:{layerskip} chain 3", skip + ["--tree", "chain", "--draft-depth", "3"]),
        (f"layerskip:{layerskip} dynamic auto D3", skip + ["--tree", "dynamic", "--tree-budget", "auto", "--draft-depth", "3"]),
    ]


def run_decode(prompt, temperature, extra, max_tokens):
    command = [DECODE, "generate", "--chat", "--json", "--seed", "1", "--temp", str(temperature),
               "--max-tokens", str(max_tokens)] + extra + [prompt]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def run_llama_cpp(prompts, temperatures, max_tokens, threads, records):
    sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "llama-cpp"))
    import llama_cpp_setup  # noqa: F401  (patches the model parameters: no extra buffer types)
    import llama_cpp
    from llama_cpp.llama_speculative import LlamaPromptLookupDecoding

    model = os.environ.get("SWIFT_DECODING_MODEL", os.path.join(ROOT, ".models", "SmolLM2-135M-Instruct.Q4_1.gguf"))
    runtimes = {
        "llama.cpp plain": llama_cpp.Llama(model, n_threads=threads, n_threads_batch=threads, n_ctx=2048, verbose=False),
        "llama.cpp prompt lookup": llama_cpp.Llama(
            model, n_threads=threads, n_threads_batch=threads, n_ctx=2048, verbose=False,
            draft_model=LlamaPromptLookupDecoding(num_pred_tokens=10)),
    }

    def timed(llm, tokens, temperature, count):
        llm.reset()
        start = time.perf_counter()
        output = llm.create_completion(prompt=tokens, max_tokens=count, temperature=temperature, top_k=40,
                                       top_p=0.95, min_p=0.05, seed=1)
        return time.perf_counter() - start, output["usage"]["completion_tokens"]

    for entry in prompts:
        for temperature in temperatures:
            tokens = entry["prompt_tokens"]
            for name, llm in runtimes.items():
                timed(llm, tokens, temperature, 1)  # warm-up
                prefill, _ = timed(llm, tokens, temperature, 1)
                total, generated = timed(llm, tokens, temperature, max_tokens)
                seconds = max(1e-9, total - prefill)
                records.append({"prompt": entry["name"], "kind": entry["kind"], "temperature": temperature,
                                "config": name, "tokens": max(0, generated - 1), "seconds": seconds})
                print(f"{entry['name']:>12} t={temperature} {name:<34} {(generated - 1) / seconds:6.1f} tok/s",
                      file=sys.stderr)


def summarize(records, max_tokens, layerskip):
    groups = {}
    for r in records:
        groups.setdefault((r["kind"], r["temperature"], r["config"]), []).append(r)
    order = [name for name, _ in configurations(layerskip)] + ["llama.cpp plain", "llama.cpp prompt lookup"]
    lines = ["| prompts | temp | configuration | tok/s | × plain | mean accepted length | tokens per target call "
             "| acceptance at depth 1 / 2 / 3 / 4 |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |"]
    for kind in ("copy", "chat"):
        for temperature in (0.0, 0.8):
            rate = {}
            for config in order:
                rs = groups.get((kind, temperature, config))
                if rs:
                    rate[config] = sum(r["tokens"] for r in rs) / sum(r["seconds"] for r in rs)
            for config in order:
                rs = groups.get((kind, temperature, config))
                if not rs:
                    continue
                baseline = rate["llama.cpp plain"] if config.startswith("llama.cpp") else rate["plain"]
                accepted = steps = emitted = 0
                drafted_depth, accepted_depth = [0] * 4, [0] * 4
                for r in rs:
                    s = r.get("speculative")
                    if not s:
                        continue
                    accepted += s["accepted_tokens"]
                    steps += s["steps"]
                    emitted += s["emitted_tokens"]
                    for d, n in enumerate(s["drafted_at_depth"][:4]):
                        drafted_depth[d] += n
                    for d, n in enumerate(s["accepted_at_depth"][:4]):
                        accepted_depth[d] += n
                mean = f"{accepted / steps:.2f}" if steps else ""
                per_call = f"{emitted / steps:.2f}" if steps else ""
                depth = " / ".join(f"{a / d:.2f}" if d else "–" for a, d in zip(accepted_depth, drafted_depth)) if steps else ""
                label = "copy-heavy" if kind == "copy" else "chat"
                lines.append(f"| {label} | {temperature:g} | {config} | {rate[config]:.1f} | {rate[config] / baseline:.2f} "
                             f"| {mean} | {per_call} | {depth} |")
    return "\n".join(lines)


class Records(list):
    """The runs so far, each also written as a JSON line to `path` (when given) as it comes."""

    def __init__(self, path):
        super().__init__()
        self.file = open(path, "w") if path else None

    def append(self, record):
        super().append(record)
        if self.file:
            self.file.write(json.dumps(record) + "\n")
            self.file.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-tokens", type=int, default=80)
    parser.add_argument("--layerskip", type=int, default=24)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--llama-threads", type=int, default=1,
                        help="llama.cpp threads (default 1: ggml's spinning thread barrier collapses on a loaded "
                             "machine; the anchor is a ratio within llama.cpp, so its thread count is its own)")
    parser.add_argument("--results", default=None, help="also write every run as JSON lines here")
    parser.add_argument("--skip-llama-cpp", action="store_true")
    parser.add_argument("--summarize", metavar="RESULTS", help="only print the table of an earlier --results file")
    args = parser.parse_args()
    if args.summarize:
        with open(args.summarize) as f:
            print(summarize([json.loads(line) for line in f], args.max_tokens, args.layerskip))
        return

    with open(os.path.join(HERE, "prompts.json")) as f:
        prompts = json.load(f)
    temperatures = [0.0, 0.8]
    records = Records(args.results)
    for entry in prompts:
        for temperature in temperatures:
            for name, extra in configurations(args.layerskip):
                output = run_decode(entry["prompt"], temperature, extra + ["--threads", str(args.threads)],
                                    args.max_tokens)
                entry["prompt_tokens"] = output["prompt_tokens"]
                tokens = len(output["tokens"])
                rate = output["stats"]["decode_tokens_per_second"]
                records.append({"prompt": entry["name"], "kind": entry["kind"], "temperature": temperature,
                                "config": name, "tokens": tokens, "seconds": tokens / rate if rate else 0,
                                "speculative": output.get("speculative")})
                print(f"{entry['name']:>12} t={temperature} {name:<34} {rate:6.1f} tok/s ({tokens} tokens)",
                      file=sys.stderr)
    if not args.skip_llama_cpp:
        run_llama_cpp(prompts, temperatures, args.max_tokens, args.llama_threads, records)
    print(summarize(records, args.max_tokens, args.layerskip))


if __name__ == "__main__":
    main()
