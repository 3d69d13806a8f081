#!/usr/bin/env python3
"""Writes Tests/TokenizerTests/Fixtures/sentencepiece-reference.json: llama.cpp's ids for 150
seeded random texts under the SentencePiece vocabularies and Gemma 4's (llama-cpp-python 0.3.36, vocab_only),
with and without special-token parsing, no BOS. Needs `pip install llama-cpp-python==0.3.36`,
Scripts/fetch-llama-cpp-data.sh and, for gemma-3, .models/gemma-3-270m-q4_k_m.gguf."""
import json, os, random, llama_cpp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VOCAB = os.path.join(ROOT, ".cache/llama-cpp/vocab")
MODELS = {
    "llama-spm": os.path.join(VOCAB, "ggml-vocab-llama-spm.gguf"),
    "phi-3": os.path.join(VOCAB, "ggml-vocab-phi-3.gguf"),
    "baichuan": os.path.join(VOCAB, "ggml-vocab-baichuan.gguf"),
    "gemma-3": os.path.join(ROOT, ".models/gemma-3-270m-q4_k_m.gguf"),
    "gemma-4": os.path.join(VOCAB, "ggml-vocab-gemma-4.gguf"),
}
rng = random.Random(14)
RANGES = [(0x20, 0x7E), (0x41, 0x5A), (0x61, 0x7A), (0x30, 0x39), (0xA0, 0xFF), (0x300, 0x36F), (0x391, 0x3C9),
          (0x400, 0x44F), (0x5D0, 0x5EA), (0x627, 0x64A), (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3),
          (0x1F300, 0x1FAFF), (0x2600, 0x27BF)]
SPACES = [" ", " ", " ", "\t", "\n", "\r", "\u00a0", "\u3000"]
WORDS = ["Hello", "world", "the", " ", "  ", "\n\n", "is", "ing", "tion", "<s>", "</s>", "<unk>", "<|end|>",
         "<start_of_turn>", "<end_of_turn>", "1234", "3.14", "...", "😀", "日本語", "Привет"]


def text():
    out = []
    for _ in range(rng.randint(1, 12)):
        k = rng.random()
        if k < 0.35:
            out.append(rng.choice(WORDS))
        elif k < 0.5:
            out.append("".join(rng.choice(SPACES) for _ in range(rng.randint(1, 3))))
        else:
            a, b = rng.choice(RANGES)
            out.append("".join(chr(rng.randint(a, b)) for _ in range(rng.randint(1, 5))))
    return "".join(out)


texts = [text() for _ in range(150)]
result = {"source": "llama-cpp-python 0.3.36 (vendored llama.cpp), Llama(vocab_only=True).tokenize(text.encode(), "
                    "add_bos=False, special=parseSpecial); texts from a seeded generator (random.Random(14))",
          "texts": texts, "ids": {}}
for name, path in MODELS.items():
    llm = llama_cpp.Llama(model_path=path, vocab_only=True, verbose=False)
    result["ids"][name] = {
        "plain": [llm.tokenize(t.encode(), add_bos=False, special=False) for t in texts],
        "special": [llm.tokenize(t.encode(), add_bos=False, special=True) for t in texts],
    }
out = json.dumps(result, ensure_ascii=False, separators=(",", ":")).replace("],[", "],\n[")
with open(os.path.join(ROOT, "Tests/TokenizerTests/Fixtures/sentencepiece-reference.json"), "w") as f:
    f.write(out)
