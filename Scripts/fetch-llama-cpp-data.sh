#!/usr/bin/env bash
# Fetches llama.cpp's tokenizer test vocabularies (ggml-vocab-NAME.gguf with .inp/.out: inputs and
# llama.cpp's expected ids) and its real chat templates (models/templates/*.jinja) from the
# llama-cpp-python 0.3.36 source distribution on PyPI, checking its hash, into the git-ignored
# .cache/llama-cpp/ (vocab/ and templates/). Idempotent: a complete cache is kept.
#
# The archive is downloaded directly (pip download would build cmake to read the sdist's metadata).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache/llama-cpp"
stamp="$cache/.complete-0.3.36"
[ -f "$stamp" ] && { echo "llama.cpp test data: $cache"; exit 0; }

archive_sha256="832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
url="https://files.pythonhosted.org/packages/ec/e9/e7de2b0463ea3ffbf0ede6cb21b58c1258a8f6521aae45ca773a59fe7cf3/llama_cpp_python-0.3.36.tar.gz"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
archive="$tmp/llama_cpp_python-0.3.36.tar.gz"
python3 - "$url" "$archive" <<'PY'
import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=300) as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
echo "$archive_sha256  $archive" | sha256sum --check --quiet

models="llama_cpp_python-0.3.36/vendor/llama.cpp/models"
tar -xzf "$archive" -C "$tmp" --wildcards "$models/ggml-vocab-*" "$models/templates/*"
rm -rf "$cache"
mkdir -p "$cache/vocab" "$cache/templates"
mv "$tmp/$models"/ggml-vocab-* "$cache/vocab/"
mv "$tmp/$models"/templates/* "$cache/templates/"
touch "$stamp"
echo "llama.cpp test data: $cache"
