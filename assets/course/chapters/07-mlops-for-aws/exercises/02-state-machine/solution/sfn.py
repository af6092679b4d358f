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


def has_error_list(item):
    return isinstance(item, dict) and isinstance(item.get("ErrorEquals"), list)


def validate(machine, tasks):
    """Raise DefinitionError for a machine that cannot run."""
    if not isinstance(machine, dict):
        raise DefinitionError("the state machine must be a JSON object")
    states = machine.get("States")
    if not isinstance(states, dict) or not states:
        raise DefinitionError("States must be a non-empty object")
    if machine.get("StartAt") not in states:
        raise DefinitionError(f"StartAt names no state: {machine.get('StartAt')!r}")

    def target(name, where):
        if name not in states:
            raise DefinitionError(f"{where} goes to an unknown state {name!r}")

    for name, state in states.items():
        if not isinstance(state, dict):
            raise DefinitionError(f"state {name!r} must be an object")
        kind = state.get("Type")
        if kind not in TYPES:
            raise DefinitionError(f"state {name!r} has an unsupported Type {kind!r}")
        if kind in ("Task", "Pass"):
            has_next, has_end = "Next" in state, state.get("End") is True
            if has_next == has_end:
                raise DefinitionError(f"state {name!r} needs exactly one of Next and End: true")
            if has_next:
                target(state["Next"], f"state {name!r}")
        if kind == "Task":
            resource = state.get("Resource")
            found = None
            if isinstance(resource, str):
                found = getattr(tasks, function_name(resource), None)
            if not callable(found):
                raise DefinitionError(f"state {name!r}: no task function for Resource {resource!r}")
            for retrier in state.get("Retry", []):
                if not has_error_list(retrier):
                    raise DefinitionError(f"state {name!r}: every retrier needs ErrorEquals")
            for catcher in state.get("Catch", []):
                if not has_error_list(catcher):
                    raise DefinitionError(f"state {name!r}: every catcher needs ErrorEquals")
                target(catcher.get("Next"), f"a catcher of {name!r}")
        if kind == "Choice":
            rules = state.get("Choices")
            if not isinstance(rules, list) or not rules:
                raise DefinitionError(f"state {name!r} needs a non-empty Choices list")
            for rule in rules:
                ops = [k for k in rule if k in OPERATORS] if isinstance(rule, dict) else []
                if len(ops) != 1 or "Variable" not in rule:
                    raise DefinitionError(f"state {name!r}: every rule needs a Variable, one "
                                          "operator and a Next")
                target(rule.get("Next"), f"a rule of {name!r}")
            if "Default" in state:
                target(state["Default"], f"the Default of {name!r}")


def matches(rule, data):
    """Does a Choice rule match the data? Raise ExecutionFailed for a missing Variable."""
    value = get_path(data, rule["Variable"])
    if value is MISSING:
        raise ExecutionFailed("States.Runtime", f"the input has no {rule['Variable']}")
    op = next(k for k in rule if k in OPERATORS)
    want = rule[op]
    kind = OPERATORS[op]
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        return {
            "NumericEquals": value == want, "NumericLessThan": value < want,
            "NumericLessThanEquals": value <= want, "NumericGreaterThan": value > want,
            "NumericGreaterThanEquals": value >= want,
        }[op]
    if kind == "string":
        return isinstance(value, str) and value == want
    return isinstance(value, bool) and value == want


def error_matches(names, error):
    return error in names or "States.ALL" in names or "States.TaskFailed" in names


def run_task(state, data, tasks, record):
    """Call the task, retrying as its Retry says. Return ("ok", output) or ("error", (e, cause))."""
    function = getattr(tasks, function_name(state["Resource"]))
    retriers = state.get("Retry", [])
    used = [0] * len(retriers)
    while True:
        record["attempts"] += 1
        try:
            return "ok", function(data)
        except Exception as err:  # noqa: BLE001  a task's failure is data here
            error, cause = type(err).__name__, str(err)
        record["errors"].append(error)
        for i, retrier in enumerate(retriers):
            if error_matches(retrier["ErrorEquals"], error):
                if used[i] < retrier.get("MaxAttempts", 3):
                    interval = retrier.get("IntervalSeconds", 1)
                    wait = interval * retrier.get("BackoffRate", 2.0) ** used[i]
                    used[i] += 1
                    record["waits"].append(wait)
                    break
                return "error", (error, cause)
        else:
            return "error", (error, cause)


def run(machine, data, tasks, max_steps=100):
    """Execute the machine on the input; return the execution report."""
    trace = []
    name = machine["StartAt"]
    try:
        while True:
            if len(trace) >= max_steps:
                raise ExecutionFailed("Local.MaxStepsExceeded",
                                      f"more than {max_steps} steps: a loop without an exit?")
            state = machine["States"][name]
            kind = state["Type"]
            record = {"state": name, "type": kind, "next": None}
            trace.append(record)
            if kind == "Succeed":
                return {"status": "SUCCEEDED", "output": data, "error": None, "cause": None,
                        "steps": len(trace), "trace": trace}
            if kind == "Fail":
                raise ExecutionFailed(state.get("Error"), state.get("Cause"))
            if kind == "Pass":
                data = state["Result"] if "Result" in state else data
            elif kind == "Choice":
                chosen = next((r["Next"] for r in state["Choices"] if matches(r, data)),
                              state.get("Default"))
                if chosen is None:
                    raise ExecutionFailed("States.NoChoiceMatched", f"no rule of {name} matched")
                record["next"] = chosen
                name = chosen
                continue
            else:
                record.update(attempts=0, errors=[], waits=[])
                outcome, value = run_task(state, data, tasks, record)
                if outcome == "error":
                    error, cause = value
                    catcher = next((c for c in state.get("Catch", [])
                                    if error_matches(c["ErrorEquals"], error)), None)
                    if catcher is None:
                        raise ExecutionFailed(error, cause)
                    data = {"Error": error, "Cause": cause}
                    record["next"] = name = catcher["Next"]
                    continue
                data = value
            if state.get("End") is True:
                return {"status": "SUCCEEDED", "output": data, "error": None, "cause": None,
                        "steps": len(trace), "trace": trace}
            record["next"] = name = state["Next"]
    except ExecutionFailed as failed:
        return {"status": "FAILED", "output": None, "error": failed.error, "cause": failed.cause,
                "steps": len(trace), "trace": trace}


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
