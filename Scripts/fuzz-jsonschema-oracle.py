#!/usr/bin/env python3
"""Differential oracle of the JSON Schema compiler: every instance the compiled grammar accepts
must be valid for an independent validator (Python `jsonschema`, pinned in
Scripts/jsonschema-oracle-requirements.txt and installed into .cache/jsonschema-oracle-venv).

    Scripts/fuzz-jsonschema-oracle.py                  # 40 samples per fixture schema, then 600 s of fuzzing
    Scripts/fuzz-jsonschema-oracle.py --seconds 0 --samples 10   # the fixtures only (about a minute)
    Scripts/fuzz-jsonschema-oracle.py --check-only     # re-check the pairs already collected

1. Samples: every schema of the test fixtures (JSON-Schema-Test-Suite and MaskBench, in
   Tests/ConstraintsTests/Fixtures) with each of its valid instances and `--samples` random byte
   strings, written as `schema NUL bytes` inputs of the `jsonschema` fuzz target and run once
   each. The target walks the bytes as they are and as choices of a steered walk that always
   ends in an instance the grammar accepts (Fuzz/Sources/FuzzSupport/Steer.swift).
2. Fuzzing: `Scripts/fuzz.sh jsonschema SECONDS`, mutating schemas and instances.
   In both, the target (with FUZZ_JSONSCHEMA_ACCEPTED set) writes every accepted
   (schema, instance) pair into Fuzz/oracle/jsonschema/pairs.
3. Check: each pair with the validator of the schema's draft: `$schema` when it names one,
   else the first of 2020-12, 7 and 4 whose meta-schema the schema satisfies (the compiler
   reads the draft 4-7 spellings too: array `items`, `additionalItems`, `dependencies`, boolean
   exclusive bounds). Formats are asserted. Numbers are read as decimals (so `0.1` is exact and
   1.0 is an integer from draft 6 on, as the drafts say), `pattern` and `patternProperties` are
   matched as ECMA-262 regexes (regress, Unicode mode) as JSON Schema specifies, not with
   Python's `re`.

Reported, with the counts, in Fuzz/oracle/jsonschema/report.txt (and the exit status is 1 when
any is found):
- disagreement: the grammar accepted an instance the validator rejects (a compiler bug, or a
  draft-semantics difference to document);
- not-json: the grammar accepted bytes that are not UTF-8 JSON;
- unsupported-accepted: the compiler accepted a schema using a keyword or format it documents as
  unsupported (it must throw `unsupported` instead of ignoring the keyword).
Counted, not failures: pairs whose schema no draft's meta-schema accepts (the compiler reads
some malformed keywords leniently, never accepting more), and pairs the validator cannot judge
(a pattern regress cannot compile, lone surrogates, recursion, a 10 s timeout).
"""
import argparse
import decimal
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "ConstraintsTests", "Fixtures")
WORK = os.path.join(ROOT, "Fuzz", "oracle", "jsonschema")
VENV = os.path.join(ROOT, ".cache", "jsonschema-oracle-venv")
REQUIREMENTS = os.path.join(ROOT, "Scripts", "jsonschema-oracle-requirements.txt")

# Keywords (at schema positions) and formats the compiler documents as unsupported: a schema
# using one must not compile (JSONSchemaGrammar's documentation, "Unsupported keywords throw").
UNSUPPORTED_KEYWORDS = {"contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "$dynamicRef",
                        "$recursiveRef"}
UNSUPPORTED_FORMATS = {"ipv6", "duration", "iri", "iri-reference", "idn-email", "idn-hostname", "json-pointer",
                       "relative-json-pointer", "regex"}
SCHEMA_MAPS = {"properties", "patternProperties", "dependentSchemas"}
SCHEMA_VALUES = {"additionalProperties", "additionalItems", "contains", "propertyNames", "not", "if", "then", "else",
                 "unevaluatedItems", "unevaluatedProperties", "contentSchema"}
SCHEMA_LISTS = {"allOf", "anyOf", "oneOf", "prefixItems"}
# Keywords that can make a schema reject an instance; a schema with none of them accepts every
# instance (unknown keywords and annotations are ignored), so the `else` of such an `if` is never reached.
ASSERTING = {"type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
             "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
             "maxProperties", "minProperties", "required", "dependentRequired", "dependencies", "format",
             "allOf", "anyOf", "oneOf", "not", "if", "dependentSchemas", "prefixItems", "items", "additionalItems",
             "contains", "properties", "patternProperties", "additionalProperties", "propertyNames",
             "unevaluatedItems", "unevaluatedProperties", "$ref", "$dynamicRef", "$recursiveRef"}


def accepts_everything(schema):
    """Whether `schema` has no keyword that can reject an instance (`true`, `{}`, only annotations)."""
    return schema is True or (isinstance(schema, dict) and not any(key in ASSERTING for key in schema))


def ensure_venv():
    """Re-runs this script with the pinned validator's virtual environment (creating it once)."""
    python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    stamp = os.path.join(VENV, "requirements.txt")
    if not os.path.exists(stamp) or open(stamp).read() != open(REQUIREMENTS).read():
        venv.create(VENV, with_pip=True, clear=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "-r", REQUIREMENTS], check=True)
        shutil.copy(REQUIREMENTS, stamp)
    os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])


def fixture_cases():
    """(schema text, [valid instance texts]) of every fixture schema."""
    suite = os.path.join(FIXTURES, "jsonschema", "test-suite")
    for name in sorted(os.listdir(suite)):
        if name.endswith(".json"):
            with open(os.path.join(suite, name)) as f:
                for group in json.load(f):
                    yield json.dumps(group["schema"]), [json.dumps(t["data"]) for t in group["tests"] if t["valid"]]
    bench = os.path.join(FIXTURES, "maskbench")
    for name in sorted(os.listdir(bench)):
        with open(os.path.join(bench, name)) as f:
            case = json.load(f)
        yield json.dumps(case["schema"]), [json.dumps(t["data"]) for t in case.get("tests", []) if t["valid"]]


def write_samples(folder, samples):
    """The fixture inputs of step 1 (deterministic: seeded)."""
    rng = random.Random(20)
    os.makedirs(folder, exist_ok=True)
    count = 0
    for schema, valid in fixture_cases():
        inputs = [instance.encode() for instance in valid]
        inputs += [bytes(rng.randrange(256) for _ in range(rng.randrange(400))) for _ in range(samples)]
        for instance in inputs:
            data = schema.encode() + b"\0" + instance
            with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)
            count += 1
    return count


def collect(seconds, samples):
    """Steps 1 and 2: runs the fuzz target, which writes accepted pairs into WORK/pairs."""
    pairs = os.path.join(WORK, "pairs")
    shutil.rmtree(pairs, ignore_errors=True)
    os.makedirs(pairs)
    env = dict(os.environ, FUZZ_JSONSCHEMA_ACCEPTED=pairs, SWIFT_BACKTRACE="enable=no",
               ASAN_OPTIONS="detect_leaks=0")
    binary = subprocess.run(["bash", os.path.join(ROOT, "Scripts", "fuzz.sh"), "--build", "jsonschema"],
                            check=True, stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1]
    if samples > 0:
        folder = os.path.join(WORK, "samples")
        shutil.rmtree(folder, ignore_errors=True)
        print(f"samples: {write_samples(folder, samples)} inputs", flush=True)
        crashes = os.path.join(WORK, "crashes") + "/"
        os.makedirs(crashes, exist_ok=True)
        subprocess.run([binary, folder, "-runs=0", "-max_len=1048576", "-timeout=30", "-rss_limit_mb=4096",
                        f"-artifact_prefix={crashes}"], env=env, check=True)
    if seconds > 0:
        subprocess.run(["bash", os.path.join(ROOT, "Scripts", "fuzz.sh"), "jsonschema", str(seconds)], env=env,
                       check=True)
    return pairs


class Timeout(Exception):
    pass


def make_checker():
    """A function (schema, instance) -> (category, detail) over the pinned validator."""
    import jsonschema
    import regress
    from jsonschema import Draft4Validator, Draft7Validator, Draft202012Validator, ValidationError, validators

    compiled = {}

    def ecma(pattern):
        if pattern not in compiled:
            try:
                compiled[pattern] = regress.Regex(pattern, "u")
            except Exception:
                compiled[pattern] = regress.Regex(pattern)  # raises for a pattern ECMA-262 rejects
        return compiled[pattern]

    def search(pattern, text):
        return ecma(pattern).find(text) is not None

    def pattern(validator, patrn, instance, schema):
        if validator.is_type(instance, "string") and not search(patrn, instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r} (ECMA-262)")

    def pattern_properties(validator, patterns, instance, schema):
        if validator.is_type(instance, "object"):
            for patrn, subschema in patterns.items():
                for key, value in instance.items():
                    if search(patrn, key):
                        yield from validator.descend(value, subschema, path=key, schema_path=patrn)

    def additional_properties(validator, additional, instance, schema):
        if not validator.is_type(instance, "object"):
            return
        declared = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        extras = [k for k in instance if k not in declared and not any(search(p, k) for p in patterns)]
        if validator.is_type(additional, "object"):
            for key in extras:
                yield from validator.descend(instance[key], additional, path=key)
        elif not additional and extras:
            yield ValidationError(f"additional properties {extras!r} are not allowed")

    def integer_with_decimals(checker, instance):
        if isinstance(instance, bool):
            return False
        if isinstance(instance, int):
            return True
        return isinstance(instance, decimal.Decimal) and instance.is_finite() and instance == instance.to_integral_value()

    def year_zero_checker(cls):
        # RFC 3339 allows the year 0000; Python's datetime starts at year 1, so the date and
        # date-time checks see 2000 instead (a leap year too, so 0000-02-29 stays valid).
        checker = jsonschema.FormatChecker(())
        checker.checkers.update(cls.FORMAT_CHECKER.checkers)
        for name in ("date", "date-time"):
            if name in checker.checkers:
                func, raises = checker.checkers[name]

                def shifted(instance, func=func):
                    if isinstance(instance, str) and instance.startswith("0000"):
                        instance = "2000" + instance[4:]
                    return func(instance)
                checker.checkers[name] = (shifted, raises)
        return checker

    def extend(cls, decimal_integers):
        checker = cls.TYPE_CHECKER.redefine("integer", integer_with_decimals) if decimal_integers else cls.TYPE_CHECKER
        return validators.extend(cls, {"pattern": pattern, "patternProperties": pattern_properties,
                                       "additionalProperties": additional_properties}, type_checker=checker)

    # Draft 4 counts only numbers written without a fraction as integers; later drafts any
    # number with a zero fractional part.
    fallbacks = [Draft202012Validator, Draft7Validator, Draft4Validator]
    known = set(jsonschema.validators._VALIDATORS.values())
    extended = {}
    cache = {}

    def satisfies_meta_schema(cls, schema_text):
        # Read with floats, as the meta-schemas expect (`"maxLength": 2.0` is an integer), and
        # without asserting `format: regex`, which Python's `re` would judge, not ECMA-262.
        meta = jsonschema.validators.validator_for(cls.META_SCHEMA, default=cls)
        try:
            return meta(cls.META_SCHEMA).is_valid(json.loads(schema_text))
        except Exception:
            return False

    def validator_for(schema_text, schema):
        if schema_text in cache:
            return cache[schema_text]
        try:
            declared = jsonschema.validators.validator_for(schema, default=None) if isinstance(schema, dict) else None
        except Exception:  # a `$schema` that is no URI
            declared = None
        if declared not in known:
            declared = None
        result = None
        for cls in ([declared] if declared else fallbacks):
            if not satisfies_meta_schema(cls, schema_text):
                continue
            if cls not in extended:
                extended[cls] = extend(cls, cls is not Draft4Validator)
            result = extended[cls](schema, format_checker=year_zero_checker(cls))
            break
        cache[schema_text] = result
        return result

    def on_alarm(signum, frame):
        raise Timeout()

    signal.signal(signal.SIGALRM, on_alarm)

    def check(schema_text, instance_bytes):
        try:
            schema = json.loads(schema_text, parse_float=decimal.Decimal)
        except ValueError as error:
            return "schema-not-json", str(error)
        except decimal.InvalidOperation:  # a number beyond Decimal's exponent range
            return "unjudged", "schema number beyond Python Decimal's range"
        unsupported = audit(schema)
        if unsupported:
            return "unsupported-accepted", unsupported
        try:
            instance = json.loads(instance_bytes.decode("utf-8"), parse_float=decimal.Decimal)
        except ValueError as error:
            return "not-json", str(error)
        except decimal.InvalidOperation:  # valid JSON, but its number is beyond Decimal's exponent range
            return "unjudged", "instance number beyond Python Decimal's range"
        validator = validator_for(schema_text, schema)
        if validator is None:
            return "schema-invalid-for-every-draft", ""
        signal.alarm(10)
        try:
            errors = list(validator.iter_errors(instance))
        except Timeout:
            return "unjudged", "timeout"
        except RecursionError:
            return "unjudged", "recursion"
        except Exception as error:  # a pattern regress rejects, a lone surrogate, an unresolvable $ref
            return "unjudged", f"{type(error).__name__}: {error}"
        finally:
            signal.alarm(0)
        if errors:
            draft = type(validator).__name__
            return "disagreement", f"{draft}: " + "; ".join(e.message for e in errors[:3])
        return "agree", ""

    return check


def audit(schema, negated=False, path="#", root=None, visiting=()):
    """The first documented-unsupported keyword or format at a positive schema position of
    `schema` reachable from the root (through local `$ref`s; unreferenced `$defs` are never
    compiled), not counting `true`/`{}` values, which assert nothing, `then`/`else` without
    `if`, which JSON Schema ignores, and the `else` of an `if` that is `true`/`{}` (the `then` of
    an `if: false`), which no instance reaches (the compiler's (if ∩ then) ∪ (¬if ∩ else) drops
    it exactly); or None. Under an odd number of `not`s a keyword is only
    negated, and the compiler drops the negation of one it cannot express (a sound subset), so
    those are not flagged; `if` and `oneOf` branches count as positive (they are used both ways)."""
    root = schema if root is None else root
    if not isinstance(schema, dict):
        return None
    for key, value in schema.items():
        here = f"{path}/{key}"
        if not negated:
            if key in UNSUPPORTED_KEYWORDS and value is not True and value != {}:
                return here
            if key == "format" and value in UNSUPPORTED_FORMATS:
                return f"{here} ({value})"
            if key == "multipleOf" and not (value == 1 and schema.get("type") == "integer"):
                return here
        children = []
        if key == "$ref" and isinstance(value, str) and value.startswith("#") and value not in visiting:
            target = resolve_pointer(root, value[1:])
            children = [(value, target)] if target is not None else []
            visiting = visiting + (value,)
        elif key in SCHEMA_MAPS and isinstance(value, dict):
            children = [(f"{here}/{k}", v) for k, v in value.items()]
        elif key == "dependencies" and isinstance(value, dict):
            children = [(f"{here}/{k}", v) for k, v in value.items() if isinstance(v, dict)]
        elif key == "items" and isinstance(value, list):
            children = [(f"{here}/{i}", v) for i, v in enumerate(value)]
        elif key in ("then", "else") and "if" not in schema:
            children = []  # ignored without `if`
        elif key == "else" and accepts_everything(schema["if"]):
            children = []  # never reached
        elif key == "then" and schema["if"] is False:
            children = []  # never reached
        elif key in SCHEMA_VALUES or key == "items":
            children = [(here, value)] if isinstance(value, dict) else []
        elif key in SCHEMA_LISTS and isinstance(value, list):
            children = [(f"{here}/{i}", v) for i, v in enumerate(value)]
        for child_path, child in children:
            polarity = (not negated) if key == "not" else (False if key in ("if", "oneOf") else negated)
            found = audit(child, polarity, child_path, root, visiting)
            if found:
                return found
    return None


def resolve_pointer(root, pointer):
    """The value at JSON Pointer `pointer` ("" or "/a/0") in `root`, or None."""
    if pointer and not pointer.startswith("/"):
        return None
    value = root
    for part in pointer.split("/")[1:] if pointer else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def check_pairs(pairs):
    """Step 3: checks every pair, writes the report, returns the number of failures."""
    check = make_checker()
    counts = {}
    failures = []
    names = sorted(os.listdir(pairs))
    for index, name in enumerate(names):
        with open(os.path.join(pairs, name), "rb") as f:
            data = f.read()
        schema_bytes, _, instance = data.partition(b"\0")
        category, detail = check(schema_bytes.decode("utf-8"), instance)
        counts[category] = counts.get(category, 0) + 1
        if category in ("disagreement", "not-json", "unsupported-accepted", "schema-invalid-for-every-draft"):
            failures.append((category, name, schema_bytes.decode("utf-8"), instance, detail))
        if (index + 1) % 5000 == 0:
            print(f"checked {index + 1}/{len(names)}", flush=True)
    lines = [f"pairs: {len(names)}"] + [f"{k}: {v}" for k, v in sorted(counts.items())]
    for category, name, schema, instance, detail in sorted(failures):
        lines += ["", f"{category} {name}: {detail}", f"  schema:   {schema[:2000]}",
                  f"  instance: {instance[:2000]!r}"]
    report = os.path.join(WORK, "report.txt")
    with open(report, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[:12 + 4 * 20]))
    print(f"report: {report}")
    return sum(1 for failure in failures if failure[0] != "schema-invalid-for-every-draft")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=600, help="fuzzing time after the samples (0: none)")
    parser.add_argument("--samples", type=int, default=40, help="random byte strings per fixture schema")
    parser.add_argument("--check-only", action="store_true", help="only check the pairs already collected")
    parser.add_argument("--pairs", help="with --check-only: the folder of pairs to check (default Fuzz/oracle/jsonschema/pairs)")
    parser.add_argument("--samples-folder", help="only write the sample inputs of step 1 into this folder")
    args = parser.parse_args()
    if args.samples_folder:
        print(f"samples: {write_samples(args.samples_folder, args.samples)} inputs")
        return
    ensure_venv()
    pairs = (args.pairs or os.path.join(WORK, "pairs")) if args.check_only else collect(args.seconds, args.samples)
    sys.exit(1 if check_pairs(pairs) else 0)


if __name__ == "__main__":
    main()
