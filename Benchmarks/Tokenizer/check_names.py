#!/usr/bin/env python3
"""Every `tokenizer.ggml.pre` name we support, checked against llama.cpp on the same text.

llama.cpp ships test vocabularies for one name per regex family; the other names it maps to the
same regexes are checked here instead: the GPT-2 test vocabulary is copied once per name with
only `tokenizer.ggml.pre` changed, and each copy must give the same ids from `decode tokenize`
as from llama-cpp-python 0.3.36 on seeded random Unicode (characters assigned in Unicode 14,
PCRE2 10.42's tables) plus the mixed text of compare.py. The names come from our own error
message for an unknown name.

    swift build -c release --product decode
    python3 Benchmarks/Tokenizer/check_names.py [--bytes 60000]
"""
import argparse
import importlib.util
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("tokenizer_compare", os.path.join(HERE, "compare.py"))
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)  # also applies llama_cpp_setup
llama_cpp = compare.llama_cpp


def supported_names(decode, vocab):
    """The names listed by our error for an unknown pre-tokenizer."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "unknown.gguf")
        with open(path, "wb") as handle:
            handle.write(with_pre(vocab, "no-such-pre-tokenizer"))
        run = subprocess.run([decode, "tokenize", "--model", path, "x"], capture_output=True, text=True)
    found = re.search(r"\(supported: (.*)\)", run.stderr)
    if not found:
        sys.exit(f"cannot read the supported names from: {run.stderr.strip()}")
    return found.group(1).split(", ")


def with_pre(vocab, name):
    """The GGUF file `vocab` with its `tokenizer.ggml.pre` string value replaced by `name`."""
    key = b"tokenizer.ggml.pre"
    start = vocab.index(struct.pack("<Q", len(key)) + key) + 8 + len(key)
    assert struct.unpack("<I", vocab[start:start + 4])[0] == 8, "tokenizer.ggml.pre is not a string"
    length = struct.unpack("<Q", vocab[start + 4:start + 12])[0]
    value = name.encode()
    return vocab[:start + 4] + struct.pack("<Q", len(value)) + value + vocab[start + 12 + length:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bytes", type=int, default=60_000, help="size of each of the two texts")
    parser.add_argument("--decode", default=os.path.join(compare.ROOT, ".build", "release", "decode"))
    args = parser.parse_args()

    with open(os.path.join(compare.VOCAB_DIR, "ggml-vocab-gpt-2.gguf"), "rb") as handle:
        vocab = handle.read()
    random = compare.random_text(args.bytes, 7).decode()
    text = "".join(c for c in random if unicodedata.category(c) != "Cn") + "\n" + compare.mixed_text(args.bytes).decode()
    differing = []
    with tempfile.TemporaryDirectory() as directory:
        text_path = os.path.join(directory, "text.txt")
        with open(text_path, "wb") as handle:
            handle.write(text.encode())
        for name in supported_names(args.decode, vocab):
            path = os.path.join(directory, f"{name}.gguf")
            with open(path, "wb") as handle:
                handle.write(with_pre(vocab, name))
            reference = llama_cpp.Llama(path, vocab_only=True, verbose=False).tokenize(
                text.encode(), add_bos=False, special=False)
            run = subprocess.run([args.decode, "tokenize", "--model", path, "--file", text_path, "--no-special", "--json"],
                                 capture_output=True, text=True)
            ids = json.loads(run.stdout)["ids"] if run.returncode == 0 else None
            same = ids == reference
            print(f"{name:18} {'same ids' if same else 'DIFFERENT: ' + (run.stderr.strip() or 'ids')} ({len(reference)} tokens)")
            if not same:
                differing.append(name)
    print(f"{len(differing)} name(s) differ from llama.cpp" + (f": {', '.join(differing)}" if differing else ""))
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
