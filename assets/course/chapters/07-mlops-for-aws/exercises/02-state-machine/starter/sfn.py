#!/usr/bin/env python3
"""sfn.py: run a Step Functions state machine (a subset of the Amazon States Language) locally.

Usage:
    python3 sfn.py MACHINE.json INPUT.json [--tasks tasks.py] [--max-steps 100]

Task states call functions of the tasks module. Prints the execution as JSON and exits 0 when it
succeeded, 1 when it failed, 2 when the machine, the input or the tasks are unusable.
README.md has the full rules.
"""
import argparse
import importlib.util
import json
import os
import sys

TYPES = {"Task", "Choice", "Pass", "Succeed", "Fail"}
OPERATORS = {
    "NumericEquals": "number", "NumericLessThan": "number", "NumericLessThanEquals": "number",
    "NumericGreaterThan": "number", "NumericGreaterThanEquals": "number",
    "StringEquals": "string", "BooleanEquals": "bool",
}
MISSING = object()


class DefinitionError(Exception):
    """The state machine (or what it refers to) cannot run; the message says why."""


class ExecutionFailed(Exception):
    """The execution fails with an error name and a cause."""

    def __init__(self, error, cause):
        super().__init__(cause)
        self.error, self.cause = error, cause


def function_name(resource):
    """The Lambda function a Task's Resource names: after ":function:", or the whole string."""
    if ":function:" in resource:
        return resource.split(":function:", 1)[1].split(":")[0]
    return resource


def get_path(data, path):
    """The value at a path such as "$.metrics.accuracy", or MISSING."""
    if path == "$":
        return data
    if not isinstance(path, str) or not path.startswith("$."):
        return MISSING
    for key in path[2:].split("."):
        if not isinstance(data, dict) or key not in data:
            return MISSING
        data = data[key]
    return data


def load_tasks(path):
    spec = importlib.util.spec_from_file_location("sfn_tasks", path)
    if spec is None or spec.loader is None:
        raise DefinitionError(f"cannot load the tasks module {path}")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except (OSError, SyntaxError) as err:
        raise DefinitionError(f"cannot load the tasks module {path}: {err}") from None
    return module


def validate(machine, tasks):
    """Raise DefinitionError for a machine that cannot run, before anything runs.

    TODO (README.md, "Refused machines"): States is a non-empty object and StartAt names one
    of its states; every state's Type is Task, Choice, Pass, Succeed or Fail; a Task or Pass
    has exactly one of Next and End: true; a Task's Resource names a function of the tasks
    module (function_name() helps); every retrier and catcher has an ErrorEquals list; a
    Choice has a non-empty Choices list whose rules each have a Variable, one operator of
    OPERATORS and a Next; every Next, Default and catcher Next names a state.
    """


def matches(rule, data):
    """Does a Choice rule match the data?

    TODO: get the Variable's value with get_path(); when it is MISSING, the execution fails
    with error "States.Runtime". Numeric operators match only numbers (True is not a number),
    StringEquals only strings, BooleanEquals only booleans.
    """
    raise NotImplementedError("matches")


def run(machine, data, tasks, max_steps=100):
    """Execute the machine on the input; return the execution report (see README.md).

    TODO: keep the current state's name, starting at StartAt, and loop: append a trace entry
    for the state, act according to its Type, and move to its Next until a Succeed, a Fail,
    an End, or an uncaught error ends the run. A Task calls the function with the data and
    its return value becomes the data; Retry and Catch say what happens when it raises.
    Entering more than max_steps states fails the run with "Local.MaxStepsExceeded".
    """
    raise NotImplementedError("run")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run a state machine locally.")
    parser.add_argument("machine", help="the state machine, in Amazon States Language (JSON)")
    parser.add_argument("input", help="the execution's input, a JSON file")
    parser.add_argument("--tasks", default="tasks.py", help="the module Task states call")
    parser.add_argument("--max-steps", type=int, default=100, help="stop a runaway loop")
    args = parser.parse_args(argv)
    try:
        with open(args.machine, encoding="utf-8") as f:
            machine = json.load(f)
        with open(args.input, encoding="utf-8") as f:
            data = json.load(f)
        if not os.path.isfile(args.tasks):
            raise DefinitionError(f"no tasks module {args.tasks}")
        tasks = load_tasks(args.tasks)
        validate(machine, tasks)
    except (OSError, ValueError, DefinitionError) as err:
        print(f"sfn.py: {err}", file=sys.stderr)
        return 2
    report = run(machine, data, tasks, args.max_steps)
    print(json.dumps(report, indent=2))
    return 0 if report["status"] == "SUCCEEDED" else 1


if __name__ == "__main__":
    sys.exit(main())
