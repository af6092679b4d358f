#!/usr/bin/env python3
"""pipeline.py: run a pipeline of shell steps, reusing a step's outputs when nothing it
depends on has changed.

Usage:
    python3 pipeline.py run PIPELINE.json [--no-reuse]

Prints one line per step, "NAME ran", "NAME reused" or "NAME failed". Exit status: 0 when
every step succeeded, 1 when a step failed, 2 when the pipeline file is unusable (including
a cycle). README.md has the full rules.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

CACHE_DIR = ".cache"


class PipelineError(Exception):
    """The pipeline file cannot be used: exit status 2."""


def load_pipeline(path):
    """Read and validate PIPELINE.json; return its list of steps."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as err:
        raise PipelineError(f"{path}: {err}") from None
    steps = doc.get("steps") if isinstance(doc, dict) else None
    if not isinstance(steps, list) or not steps:
        raise PipelineError(f'{path}: expected an object with a non-empty "steps" list')
    names, producers = set(), {}
    for i, step in enumerate(steps):
        if not isinstance(step, dict):
            raise PipelineError(f"step {i + 1} is not an object")
        name = step.get("name")
        if not isinstance(name, str) or not name or name in names:
            raise PipelineError(f"step {i + 1}: a step needs a unique, non-empty name")
        names.add(name)
        if not isinstance(step.get("run"), str):
            raise PipelineError(f"step {name}: \"run\" must be a string")
        for key in ("inputs", "outputs"):
            value = step.setdefault(key, [])
            if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
                raise PipelineError(f"step {name}: \"{key}\" must be a list of paths")
            step[key] = [os.path.normpath(p) for p in value]
        params = step.setdefault("params", {})
        if not isinstance(params, dict):
            raise PipelineError(f"step {name}: \"params\" must be an object")
        for out in step["outputs"]:
            if out in producers:
                raise PipelineError(f"{out} is an output of both {producers[out]} and {name}")
            producers[out] = name
    return steps


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def order_steps(steps):
    """Return the steps in the order they run: repeatedly, the first step in file order whose
    upstream steps have all run. Raise PipelineError on a cycle."""
    producer = {out: s["name"] for s in steps for out in s["outputs"]}
    needs = {s["name"]: {producer[p] for p in s["inputs"] if p in producer} for s in steps}
    done, ordered = set(), []
    while len(ordered) < len(steps):
        for step in steps:
            if step["name"] not in done and needs[step["name"]] <= done:
                done.add(step["name"])
                ordered.append(step)
                break
        else:
            left = [s["name"] for s in steps if s["name"] not in done]
            raise PipelineError("cycle: these steps wait on each other: " + ", ".join(left))
    return ordered


def param_env(params):
    env = {}
    for key, value in params.items():
        env["PARAM_" + key.upper()] = value if isinstance(value, str) else json.dumps(value)
    return env


def cache_key(step):
    """SHA-256 of everything that can change the step's outputs: its command, its params, the
    paths and bytes of its inputs, and the paths of its outputs. Call it only once the
    upstream steps have run, because their outputs are this step's inputs."""
    h = hashlib.sha256()
    h.update(json.dumps({"run": step["run"], "params": step["params"],
                         "outputs": step["outputs"]}, sort_keys=True).encode())
    for path in step["inputs"]:
        h.update(b"\0input\0" + path.encode() + b"\0")
        h.update(sha256_file(path).encode())
    return h.hexdigest()


def restore(step, entry):
    for out in step["outputs"]:
        if os.path.dirname(out):
            os.makedirs(os.path.dirname(out), exist_ok=True)
        shutil.copyfile(os.path.join(entry, out), out)


def store(step, entry):
    """Copy the outputs into the cache entry; the entry appears complete or not at all."""
    os.makedirs(CACHE_DIR, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=CACHE_DIR, prefix="tmp-")
    for out in step["outputs"]:
        target = os.path.join(tmp, out)
        os.makedirs(os.path.dirname(target) or tmp, exist_ok=True)
        shutil.copyfile(out, target)
    if os.path.isdir(entry):
        shutil.rmtree(entry)
    os.replace(tmp, entry)


def run_step(step):
    env = dict(os.environ)
    env.update(param_env(step["params"]))
    proc = subprocess.run(step["run"], shell=True, env=env)
    return proc.returncode == 0 and all(os.path.isfile(p) for p in step["outputs"])


def run_pipeline(steps, reuse=True):
    for step in order_steps(steps):
        missing = [p for p in step["inputs"] if not os.path.isfile(p)]
        if missing:
            print(f"pipeline.py: {step['name']}: missing input {missing[0]}", file=sys.stderr)
            print(f"{step['name']} failed", flush=True)
            return 1
        entry = os.path.join(CACHE_DIR, cache_key(step))
        if reuse and os.path.isdir(entry):
            restore(step, entry)
            print(f"{step['name']} reused", flush=True)
            continue
        if not run_step(step):
            print(f"{step['name']} failed", flush=True)
            return 1
        store(step, entry)
        print(f"{step['name']} ran", flush=True)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run a pipeline with step reuse.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="run the pipeline")
    p.add_argument("pipeline", help="path to PIPELINE.json")
    p.add_argument("--no-reuse", action="store_true", help="run every step, ignoring the cache")
    args = parser.parse_args(argv)
    try:
        steps = load_pipeline(args.pipeline)
        os.chdir(os.path.dirname(os.path.abspath(args.pipeline)))
        order_steps(steps)  # refuse a cycle before anything runs
    except PipelineError as err:
        print(f"pipeline.py: {err}", file=sys.stderr)
        return 2
    return run_pipeline(steps, reuse=not args.no_reuse)


if __name__ == "__main__":
    sys.exit(main())
