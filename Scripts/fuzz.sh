#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of the parsers that read untrusted
# input; the targets live in the nested package Fuzz/ (see Fuzz/README.md).
#
#   Scripts/fuzz.sh --list                 names the targets
#   Scripts/fuzz.sh TARGET SECONDS [ARGS]  builds TARGET, seeds its corpus from the test fixtures
#                                          and fuzzes it for SECONDS (extra ARGS go to libFuzzer)
#   Scripts/fuzz.sh --smoke SECONDS        every target in turn for SECONDS each (CI runs this so
#                                          the targets keep building and their seeds stay clean)
#   Scripts/fuzz.sh --build TARGET         only builds TARGET and prints its executable's path
#
# The corpus grows in Fuzz/corpus/TARGET and crashing inputs land in Fuzz/crashes/TARGET/ (both
# git-ignored); the exit status is libFuzzer's (non-zero when it found a crash).
#
# Release builds (-O keeps preconditions and is about 4x faster than debug under ASan here).
set -euo pipefail
self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
cd "$(dirname "$self")/../Fuzz"

# target name, SwiftPM product, libFuzzer -max_len.
TARGETS=(
    "gguf FuzzGGUF 327680"
    "gbnf FuzzGBNF 8192"
    "jsonschema FuzzJSONSchema 16384"
    "regex FuzzRegex 4096"
    "tokenizer FuzzTokenizer 4096"
    "jinja FuzzJinja 16384"
    "tasks FuzzTasks 8192"
    "http FuzzHTTP 16384"
)

usage() {
    echo "usage: Scripts/fuzz.sh --list | --smoke SECONDS | --build TARGET | TARGET SECONDS [libFuzzer options]" >&2
    exit 2
}

# Sets product and max_len for target $1, or exits.
find_target() {
    product="" max_len=""
    for entry in "${TARGETS[@]}"; do
        read -r name candidate length <<<"$entry"
        if [[ $name == "$1" ]]; then product=$candidate max_len=$length; fi
    done
    [[ -n $product ]] || { echo "unknown target '$1' (Scripts/fuzz.sh --list)" >&2; exit 2; }
}

build() {
    swift build -c release --build-path .build --product "$product" -Xswiftc -sanitize=fuzzer,address \
        2> >(grep -v "Cannot export local symbol '__asan" >&2)
}

[[ $# -ge 1 ]] || usage
if [[ $1 == --list ]]; then
    for entry in "${TARGETS[@]}"; do echo "${entry%% *}"; done
    exit 0
fi
if [[ $1 == --smoke ]]; then
    [[ $# -eq 2 && $2 =~ ^[0-9]+$ ]] || usage
    log="$(mktemp)"
    trap 'rm -f "$log"' EXIT
    for entry in "${TARGETS[@]}"; do
        name=${entry%% *}
        if ! bash "$self" "$name" "$2" >"$log" 2>&1; then
            tail -n 60 "$log" >&2
            echo "fuzz smoke: $name failed" >&2
            exit 1
        fi
        grep -E "^(stat::number_of_executed_units|stat::average_exec_per_sec|#[0-9]+[[:space:]]+DONE)" "$log" | sed "s/^/$name: /"
    done
    exit 0
fi
if [[ $1 == --build ]]; then
    [[ $# -eq 2 ]] || usage
    find_target "$2"
    build >&2
    echo "$PWD/.build/release/$product"
    exit 0
fi
[[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || usage
target=$1 seconds=$2
shift 2
find_target "$target"
build
# llama.cpp's vocabularies and chat templates (Scripts/fetch-llama-cpp-data.sh): this checkout's
# .cache/llama-cpp, else the main worktree's; the tokenizer target and seeds.py read this variable.
common="$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
if [[ -z ${SWIFT_DECODING_LLAMA_CPP:-} ]]; then
    SWIFT_DECODING_LLAMA_CPP="$PWD/../.cache/llama-cpp"
    if [[ ! -d $SWIFT_DECODING_LLAMA_CPP/vocab && -n $common ]]; then
        SWIFT_DECODING_LLAMA_CPP="$(dirname "$common")/.cache/llama-cpp"
    fi
fi
export SWIFT_DECODING_LLAMA_CPP
# The default model (the http target serves it): this checkout's .models, else the main worktree's.
if [[ -z ${SWIFT_DECODING_MODEL:-} && ! -e ../.models/SmolLM2-135M-Instruct.Q4_1.gguf && -n $common ]]; then
    candidate="$(dirname "$common")/.models/SmolLM2-135M-Instruct.Q4_1.gguf"
    if [[ -e $candidate ]]; then export SWIFT_DECODING_MODEL="$candidate"; fi
fi
mkdir -p "corpus/$target" "crashes/$target"
python3 seeds.py "$target" "corpus/$target"
# No leak detection: LeakSanitizer reports Swift's lazily initialized globals that hold enum
# payloads (their pointers carry spare-bit tags it does not follow) as direct leaks.
# Swift's own crash backtracer is off: libFuzzer reports the crash and writes the input.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
exec ".build/release/$product" "corpus/$target" -max_total_time="$seconds" -max_len="$max_len" \
    -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="crashes/$target/" "$@"
