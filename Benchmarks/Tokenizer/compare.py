#!/usr/bin/env python3
"""Tokenizer speed beside llama.cpp, on the same vocabulary and the same text, in one run.

Builds about 1 MB of mixed text deterministically (this repository's Markdown as English prose,
its Swift and Python sources as code, generated number tables, llama.cpp's multilingual test
texts and a few CJK and emoji lines), then for each vocabulary:

- ours: `decode tokenize --model VOCAB --file TEXT --no-special --stats --repetitions N` (the
  fastest of N encodes, wall and thread-CPU time; loading the vocabulary is not timed), and once
  with `--json` to compare the ids;
- llama.cpp: llama-cpp-python's `Llama(VOCAB, vocab_only=True).tokenize(text, add_bos=False,
  special=False)`, the fastest of N calls, wall and thread-CPU time (its time includes turning the
  ids into a Python list).

Both tokenize with special tokens not parsed and no BOS, as llama.cpp's test-tokenizer-0 does.
Vocabularies are llama.cpp's test files (.cache/llama-cpp/vocab/ggml-vocab-NAME.gguf). An SPM
vocabulary (llama-spm) is timed on llama.cpp's side only until our tokenizer loads it.

    swift build -c release --product decode
    python3 Benchmarks/Tokenizer/compare.py [--vocab llama-bpe --vocab llama-spm] [--bytes 1000000]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "llama-cpp"))
import llama_cpp_setup  # noqa: E402,F401  (opens models with use_extra_bufts=False: SIGILL otherwise)
import llama_cpp  # noqa: E402

VOCAB_DIR = os.path.join(ROOT, ".cache", "llama-cpp", "vocab")

MULTILINGUAL = [
    "深度学习模型在自然语言处理中的应用越来越广泛，分词器把文本切成词元。",
    "東京の天気は晴れ、気温は二十三度です。トークナイザーの速度を測ります。",
    "한국어 문장도 섞어서 토크나이저를 시험합니다. 속도는 얼마나 될까요?",
    "Emoji: 🦙🚀✨ 👩‍💻 👨‍👩‍👧‍👦 🏳️‍🌈 ✅❌ 😀😃😄 🇫🇷🇯🇵 — done.",
    "Ελληνικά, русский текст, עברית, العربية, हिन्दी, ภาษาไทย, ქართული.",
]


def files(suffixes, under):
    """Tracked files under `under` with one of `suffixes`, sorted (git ls-files)."""
    listed = subprocess.run(["git", "-C", ROOT, "ls-files", under], capture_output=True, text=True, check=True)
    return sorted(p for p in listed.stdout.splitlines() if p.endswith(suffixes))


def read(paths):
    texts = []
    for path in paths:
        with open(os.path.join(ROOT, path), encoding="utf-8", errors="replace") as handle:
            texts.append(handle.read())
    return "\n".join(texts)


def numbers(count):
    """A deterministic table of ids, amounts and dates (a linear congruential generator)."""
    state, rows = 12345, []
    for row in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        amount = (state >> 20) % 10_000_000
        rows.append(f"{row:06d},{amount // 100}.{amount % 100:02d},20{(state >> 8) % 30:02d}-"
                    f"{(state >> 16) % 12 + 1:02d}-{(state >> 24) % 28 + 1:02d},{(state >> 33) % 65536:#06x}\n")
    return "".join(rows)


def llama_cpp_test_texts():
    texts = []
    for name in sorted(os.listdir(VOCAB_DIR)):
        if name.endswith(".inp"):
            with open(os.path.join(VOCAB_DIR, name), encoding="utf-8") as handle:
                texts.extend(handle.read().split("\n__ggml_vocab_test__\n"))
    return "\n".join(dict.fromkeys(texts))  # each distinct text once, in first-seen order


def mixed_text(size, slice_chars=2000):
    """About `size` bytes: slices of prose, code, numbers and multilingual text, in turn."""
    sources = [
        read(files((".md",), ".")),
        read(files((".swift", ".py"), "Sources") + files((".py",), "Benchmarks")),
        numbers(20_000),
        llama_cpp_test_texts() + "\n" + "\n".join(MULTILINGUAL * 50),
    ]
    offsets = [0] * len(sources)
    parts, total = [], 0
    while total < size:
        for index, source in enumerate(sources):
            start = offsets[index] % len(source)
            piece = source[start:start + slice_chars]
            offsets[index] = start + slice_chars
            parts.append(piece)
            total += len(piece.encode("utf-8"))
    text = "".join(parts).encode("utf-8")[:size]
    return text.decode("utf-8", errors="ignore").encode("utf-8")  # cut at a character boundary


def random_text(size, seed):
    """Seeded random Unicode (scripts, marks, emoji, astral planes, whitespace runs)."""
    import random
    rng = random.Random(seed)
    ranges = [(0x20, 0x7E), (0x41, 0x5A), (0x61, 0x7A), (0x30, 0x39), (0x660, 0x669), (0xA0, 0x17F),
              (0x300, 0x36F), (0x391, 0x3C9), (0x400, 0x44F), (0x5D0, 0x5EA), (0x627, 0x64A),
              (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0x1F300, 0x1FAFF), (0x2600, 0x27BF),
              (0xFE00, 0xFE0F), (0x200D, 0x200D), (0x10000, 0x3FFFF), (0xE0000, 0x10FFFF)]
    spaces = [" ", " ", " ", "\t", "\n", "\r", "\xa0", "\u3000", "\u2028", "\x85", "\u2003"]
    out, total = [], 0
    while total < size:
        if rng.randrange(5) == 0:
            piece = "".join(rng.choice(spaces) for _ in range(rng.randint(1, 4)))
        else:
            low, high = rng.choice(ranges)
            value = rng.randint(low, high)
            if 0xD800 <= value <= 0xDFFF:
                continue
            piece = chr(value)
        out.append(piece)
        total += len(piece.encode("utf-8"))
    return "".join(out).encode("utf-8")


def ours(decode, vocab, path, repetitions):
    """(stats, ids), or (None, reason) when our tokenizer cannot load the vocabulary."""
    base = [decode, "tokenize", "--model", vocab, "--file", path, "--no-special"]
    run = subprocess.run(base + ["--stats", "--repetitions", str(repetitions)], capture_output=True, text=True)
    if run.returncode != 0:
        return None, run.stderr.strip()
    stats = json.loads(run.stdout)
    listed = subprocess.run(base + ["--json"], capture_output=True, text=True, check=True)
    return stats, json.loads(listed.stdout)["ids"]


def theirs(vocab, text, repetitions):
    model = llama_cpp.Llama(vocab, vocab_only=True, verbose=False)
    best = best_cpu = float("inf")
    for _ in range(repetitions):
        start, start_cpu = time.perf_counter(), time.thread_time()
        ids = model.tokenize(text, add_bos=False, special=False)
        best_cpu = min(best_cpu, time.thread_time() - start_cpu)
        best = min(best, time.perf_counter() - start)
    return {"encode_seconds": best, "encode_cpu_seconds": best_cpu}, ids


def first_difference(a, b):
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return index
    return min(len(a), len(b))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vocab", action="append", help="vocabulary name (repeatable; default llama-bpe and llama-spm)")
    parser.add_argument("--bytes", type=int, default=1_000_000, help="text size (default 1 MB)")
    parser.add_argument("--repetitions", type=int, default=5, help="encodes per side; the fastest is reported")
    parser.add_argument("--text", choices=["mixed", "random"], default="mixed", help="mixed corpus or seeded random Unicode")
    parser.add_argument("--seed", type=int, default=1, help="seed of --text random")
    parser.add_argument("--decode", default=os.path.join(ROOT, ".build", "release", "decode"), help="our CLI")
    args = parser.parse_args()
    vocabs = args.vocab or ["llama-bpe", "llama-spm"]

    text = mixed_text(args.bytes) if args.text == "mixed" else random_text(args.bytes, args.seed)
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as handle:
        handle.write(text)
        path = handle.name
    print(f"text: {len(text)} bytes ({args.text}), fastest of {args.repetitions}; "
          f"load average {os.getloadavg()[0]:.1f}; times in ms (wall / thread CPU)")
    print("| vocabulary | ids (ours / llama.cpp) | same ids | ours | llama.cpp | ours ÷ llama.cpp (CPU) | ours MB/s (CPU) |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    failed = False
    try:
        for name in vocabs:
            vocab = os.path.join(VOCAB_DIR, f"ggml-vocab-{name}.gguf")
            reference, reference_ids = theirs(vocab, text, args.repetitions)
            llama_ms = f"{reference['encode_seconds'] * 1e3:.0f} / {reference['encode_cpu_seconds'] * 1e3:.0f}"
            stats, ids = ours(args.decode, vocab, path, args.repetitions)
            if stats is None:
                print(f"| {name} | – / {len(reference_ids)} | – | not supported ({ids}) | {llama_ms} | – | – |")
                continue
            same = ids == reference_ids
            if not same:
                failed = True
                at = first_difference(ids, reference_ids)
                print(f"  {name}: ids differ at {at}: ours {ids[at:at + 8]}, llama.cpp {reference_ids[at:at + 8]}",
                      file=sys.stderr)
            ratio = stats["encode_cpu_seconds"] / reference["encode_cpu_seconds"]
            throughput = len(text) / stats["encode_cpu_seconds"] / 1e6
            print(f"| {name} | {len(ids)} / {len(reference_ids)} | {'yes' if same else 'NO'} | "
                  f"{stats['encode_seconds'] * 1e3:.0f} / {stats['encode_cpu_seconds'] * 1e3:.0f} | {llama_ms} | "
                  f"{ratio:.2f} | {throughput:.1f} |")
    finally:
        os.unlink(path)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
