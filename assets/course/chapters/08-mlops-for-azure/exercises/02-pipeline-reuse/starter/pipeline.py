#!/usr/bin/env python3
"""pipeline.py: run a pipeline of shell steps, reusing a step's outputs when nothing it
depends on has changed.

Usage:
    python3 pipeline.py run PIPELINE.json [--no-reuse]

Prints one line per step, "NAME ran", "NAME reused" or "NAME failed". Exit status: 0 when
every step succeeded, 1 when a step failed, 2 when the pipeline file is unusable (including
a cycle). README.md has the full rules.

Loading the pipeline, running a step and the command line are done; the functions marked
TODO are yours.
"""
import argparse
import hashlib
import json
import os
import shutil  # noqa: F401  (shutil.copyfile)
import subprocess
import sys

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
    upstream steps have all run. Raise PipelineError on a cycle.

    TODO: step B depends on step A when one of B's inputs is one of A's outputs. For now the
    steps run in file order, which breaks as soon as the file lists a step before its inputs
    are made.
    """
    return list(steps)


def param_env(params):
    """Each param becomes an environment variable PARAM_<KEY in capitals>: strings as they
    are, anything else as JSON text (0.5, 20, true)."""
    env = {}
    for key, value in params.items():
        env["PARAM_" + key.upper()] = value if isinstance(value, str) else json.dumps(value)
    return env


def cache_key(step):
    """TODO: the SHA-256 of everything that can change the step's outputs: its command, its
    params, the paths and bytes of its inputs, and the paths of its outputs. Compute it just
    before the step would run, once its upstream steps are done."""
    raise NotImplementedError("cache_key")


def restore(step, entry):
    """TODO: copy the step's outputs from the cache entry (a directory) back into place."""
    raise NotImplementedError("restore")


def store(step, entry):
    """TODO: copy the step's outputs into the cache entry, a directory under .cache/."""
    raise NotImplementedError("store")


def run_step(step):
    """Run the step's command in the shell with its params; True when it succeeded."""
    env = dict(os.environ)
    env.update(param_env(step["params"]))
    proc = subprocess.run(step["run"], shell=True, env=env)
    return proc.returncode == 0 and all(os.path.isfile(p) for p in step["outputs"])


def run_pipeline(steps, reuse=True):
    """Run every step in order and print NAME ran / NAME reused / NAME failed.

    TODO: this version runs every step, every time. Before running a step, compute its cache
    key; when reuse is on and .cache/<key> exists, restore the outputs and print "reused"
    instead. Store a step's outputs only after it succeeded.
    """
    for step in order_steps(steps):
        if not run_step(step):
            print(f"{step['name']} failed", flush=True)
            return 1
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
