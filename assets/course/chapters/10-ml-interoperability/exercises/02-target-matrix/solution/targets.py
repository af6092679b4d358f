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
import os
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


def count_numbers(value):
    if isinstance(value, list):
        return sum(count_numbers(v) for v in value)
    return 1


def model_facts(path):
    """What a runtime needs to know about one model file."""
    model = read_json(path)
    if not isinstance(model, dict) or not isinstance(model.get("nodes"), list):
        raise InputError(f"{path} is not an ONNX-lite model")
    precision = model.get("precision", "float32")
    if precision not in BYTES:
        raise InputError(f"{path}: unknown precision {precision!r}")
    params = sum(count_numbers(v) for v in (model.get("initializers") or {}).values())
    size_bytes = params * BYTES[precision]
    return {
        "model": os.path.splitext(os.path.basename(path))[0],
        "opset": model.get("opset"),
        "ops": sorted({n.get("op") for n in model["nodes"] if isinstance(n, dict)}),
        "params": params,
        "precision": precision,
        "size_kb": size_bytes / 1000,
    }


def assess(facts, runtime):
    """One cell of the matrix: every reason this runtime cannot run this model."""
    reasons = []
    if not runtime["min_opset"] <= facts["opset"] <= runtime["max_opset"]:
        reasons.append("opset")
    missing = sorted(set(facts["ops"]) - set(runtime["ops"]))
    if missing:
        reasons.append("ops")
    limit = runtime.get("max_size_kb")
    if limit is not None and facts["size_kb"] > limit:
        reasons.append("size")
    if facts["precision"] not in runtime["precisions"]:
        reasons.append("precision")
    return {"ok": not reasons, "reasons": reasons, "missing_ops": missing}


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
    runtimes = load_runtimes(runtimes_path)
    models = []
    for path in model_files(folder):
        facts = model_facts(path)
        facts["targets"] = {r["name"]: assess(facts, r) for r in runtimes}
        facts["deployable"] = [r["name"] for r in runtimes if facts["targets"][r["name"]]["ok"]]
        models.append(facts)
    models.sort(key=lambda m: m["model"])
    return {
        "runtimes": [r["name"] for r in runtimes],
        "models": models,
        "undeployable": [m["model"] for m in models if not m["deployable"]],
    }


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
