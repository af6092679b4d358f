#!/usr/bin/env python3
"""targets.py: which runtimes can run which models, and why not.

Usage:
    python3 targets.py MODELS_DIR RUNTIMES.json

Reads every *.json model (ONNX-lite) directly in MODELS_DIR and the runtimes' requirements,
and prints the deployment matrix as JSON. Exit status: 0 when every model has at least one
runtime, 1 when some model has none, 2 when the input is unusable. README.md has the rules.
"""
import argparse
import json
import os  # noqa: F401  (os.path.basename, os.path.splitext)
import sys

BYTES = {"float32": 4, "float16": 2, "int8": 1}
REASONS = ("opset", "ops", "size", "precision")


class InputError(Exception):
    """Unusable input: exit status 2."""


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}") from None
    except ValueError as err:
        raise InputError(f"{path} is not valid JSON: {err}") from None


def model_facts(path):
    """What a runtime needs to know about one model file, as a dict:
    model (the file name without .json), opset, ops (distinct, sorted), params (how many
    numbers the initializers hold), precision (float32 when the file does not say) and
    size_kb (params x BYTES[precision] / 1000).

    TODO
    """
    raise NotImplementedError("model_facts")


def assess(facts, runtime):
    """One cell of the matrix: {"ok", "reasons", "missing_ops"}.

    TODO: check the opset range, the operators, the size and the precision, and list every
    reason that fails, in the order of REASONS.
    """
    raise NotImplementedError("assess")


def load_runtimes(path):
    runtimes = read_json(path)
    if not isinstance(runtimes, list) or not all(isinstance(r, dict) for r in runtimes):
        raise InputError(f"{path}: expected a list of runtimes")
    for r in runtimes:
        for key in ("name", "min_opset", "max_opset", "ops", "precisions"):
            if key not in r:
                raise InputError(f"{path}: runtime {r.get('name', '?')} has no {key}")
    return runtimes


def model_files(folder):
    if not os.path.isdir(folder):
        raise InputError(f"{folder} is not a directory")
    names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    return [os.path.join(folder, n) for n in names if os.path.isfile(os.path.join(folder, n))]


def matrix(folder, runtimes_path):
    """The whole report: {"runtimes", "models", "undeployable"} (README.md).

    TODO: facts for every model file, sorted by model name; for each, "targets" (runtime
    name -> assess()) and "deployable" (the runtimes where ok, in file order).
    """
    runtimes = load_runtimes(runtimes_path)
    files = model_files(folder)  # noqa: F841
    raise NotImplementedError("matrix")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Which runtimes can run which models.")
    parser.add_argument("models", help="a directory of ONNX-lite model files")
    parser.add_argument("runtimes", help="a JSON list of runtimes and what they support")
    args = parser.parse_args(argv)
    try:
        report = matrix(args.models, args.runtimes)
    except InputError as err:
        print(f"targets.py: {err}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2))
    return 1 if report["undeployable"] else 0


if __name__ == "__main__":
    sys.exit(main())
