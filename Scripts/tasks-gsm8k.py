#!/usr/bin/env python3
"""Turns GSM8K (grade-school math word problems) into a `decode compare` task file.

Source: GSM8K, Cobbe et al., "Training Verifiers to Solve Math Word Problems" (2021), from the
public repository openai/grade-school-math (file grade_school_math/data/test.jsonl: 1 319
problems; train.jsonl: 7 473). Licence: MIT, Copyright (c) 2021 OpenAI — keep the notice with
any copy of the data. The converted tasks are not committed: write them under Tasks/gsm8k/
(git-ignored) and pass the folder or the file to `decode compare --tasks`.

Each GSM8K line is {"question": "...", "answer": "...reasoning...\\n#### 72"}. A task gets:
  - the question as a chat prompt, with an instruction to end on "Answer: <number>";
  - the reference: the number after "####", thousands separators removed;
  - "match": "numeric" and "extract": "last-number" — the last number in the output, the
    "flexible extract" of lm-evaluation-harness's gsm8k task (`--extract answer` takes the text
    after "Answer:" instead, its strict variant).

Usage:
  python3 Scripts/tasks-gsm8k.py --input test.jsonl            # a local copy of the split
  python3 Scripts/tasks-gsm8k.py                                # downloads the test split
  python3 Scripts/tasks-gsm8k.py --limit 50 --out Tasks/gsm8k/gsm8k-test-50.jsonl
  swift run -c release decode compare --tasks Tasks/gsm8k --max-tokens 256

Only the Python standard library is used.
"""
import argparse
import json
import os
import re
import sys
import urllib.request

URL = "https://raw.githubusercontent.com/openai/grade-school-math/master/grade_school_math/data/{split}.jsonl"
INSTRUCTION = "Solve the problem step by step, then give the final number on its own line as \"Answer: <number>\"."


def reference(answer: str) -> str:
    marker = answer.rfind("####")
    if marker < 0:
        raise ValueError("no '####' final answer")
    number = answer[marker + 4:].strip().replace(",", "").replace("$", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", number):
        raise ValueError(f"final answer {number!r} is not a number")
    return number


def convert(lines, split: str, limit: int | None, extract: str):
    tasks = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        try:
            item = json.loads(line)
            task = {
                "id": f"gsm8k-{split}-{number:04d}",
                "messages": [{"role": "user", "content": item["question"].strip() + "\n" + INSTRUCTION}],
                "reference": reference(item["answer"]),
                "match": "numeric",
                "extract": extract,
            }
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            sys.exit(f"error: GSM8K line {number}: {error}")
        tasks.append(task)
        if limit is not None and len(tasks) == limit:
            break
    return tasks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", help="a GSM8K .jsonl file (default: download the split)")
    parser.add_argument("--split", default="test", choices=["test", "train"], help="split to download (default test)")
    parser.add_argument("--limit", type=int, help="keep the first N problems")
    parser.add_argument("--extract", default="last-number", choices=["last-number", "answer"],
                        help="answer extraction: the last number (default) or the text after 'Answer:'")
    parser.add_argument("--out", help="output file (default Tasks/gsm8k/gsm8k-SPLIT.jsonl)")
    args = parser.parse_args()
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    if args.input:
        with open(args.input, encoding="utf-8") as handle:
            lines = handle.readlines()
    else:
        with urllib.request.urlopen(URL.format(split=args.split), timeout=60) as response:
            lines = response.read().decode("utf-8").splitlines()
    tasks = convert(lines, args.split, args.limit, args.extract)
    out = args.out or os.path.join("Tasks", "gsm8k", f"gsm8k-{args.split}.jsonl")
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("# GSM8K (openai/grade-school-math, MIT licence, (c) 2021 OpenAI), converted by Scripts/tasks-gsm8k.py\n")
        for task in tasks:
            handle.write(json.dumps(task, ensure_ascii=False) + "\n")
    print(f"{len(tasks)} tasks written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
