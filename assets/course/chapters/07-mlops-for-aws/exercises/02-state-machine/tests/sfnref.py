"""A reference interpreter for the exercise's subset of the Amazon States Language.

Written separately from the solution so that the two can check each other. run() returns the
report sfn.py must print; validate() returns a reason the machine cannot run, or "".
"""
import importlib.util
import itertools

_fresh = itertools.count()
NUMERIC = {
    "NumericEquals": lambda a, b: a == b,
    "NumericLessThan": lambda a, b: a < b,
    "NumericLessThanEquals": lambda a, b: a <= b,
    "NumericGreaterThan": lambda a, b: a > b,
    "NumericGreaterThanEquals": lambda a, b: a >= b,
}
OPS = set(NUMERIC) | {"StringEquals", "BooleanEquals"}


class Stop(Exception):
    def __init__(self, error, cause):
        super().__init__(error)
        self.error, self.cause = error, cause


def load_tasks(path):
    """A fresh copy of the tasks module: its call counters start at zero."""
    spec = importlib.util.spec_from_file_location(f"ref_tasks_{next(_fresh)}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fn_name(resource):
    return resource.split(":function:", 1)[1].split(":")[0] if ":function:" in resource else resource


def validate(machine, tasks):
    states = machine.get("States") if isinstance(machine, dict) else None
    if not isinstance(states, dict) or not states or machine.get("StartAt") not in states:
        return "StartAt and States"
    for name, st in states.items():
        t = st.get("Type")
        if t not in ("Task", "Choice", "Pass", "Succeed", "Fail"):
            return f"unsupported type {t}"
        targets = []
        if t in ("Task", "Pass"):
            if ("Next" in st) == (st.get("End") is True):
                return "Next or End"
            targets.append(st.get("Next"))
        if t == "Task":
            if not callable(getattr(tasks, fn_name(st.get("Resource", "")), None)):
                return "no function"
            targets += [c.get("Next") for c in st.get("Catch", [])]
        if t == "Choice":
            targets += [r.get("Next") for r in st.get("Choices", [])]
            if "Default" in st:
                targets.append(st["Default"])
        for target in targets:
            if target is not None and target not in states:
                return f"unknown state {target}"
            if target is None and t == "Choice":
                return "rule without Next"
    return ""


def lookup(data, path):
    if path == "$":
        return True, data
    for key in path[2:].split("."):
        if not isinstance(data, dict) or key not in data:
            return False, None
        data = data[key]
    return True, data


def rule_matches(rule, data):
    found, value = lookup(data, rule["Variable"])
    if not found:
        raise Stop("States.Runtime", None)
    (op,) = [k for k in rule if k in OPS]
    if op in NUMERIC:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and NUMERIC[op](value, rule[op])
    if op == "StringEquals":
        return isinstance(value, str) and value == rule[op]
    return isinstance(value, bool) and value == rule[op]


def caught_by(names, error):
    return bool({error, "States.ALL", "States.TaskFailed"} & set(names))


def run(machine, data, tasks, max_steps=100):
    trace = []
    here = machine["StartAt"]
    try:
        while True:
            if len(trace) == max_steps:
                raise Stop("Local.MaxStepsExceeded", None)
            st = machine["States"][here]
            entry = {"state": here, "type": st["Type"], "next": None}
            trace.append(entry)
            t = st["Type"]
            if t == "Succeed":
                break
            if t == "Fail":
                raise Stop(st.get("Error"), st.get("Cause"))
            if t == "Choice":
                entry["next"] = next((r["Next"] for r in st["Choices"] if rule_matches(r, data)),
                                     st.get("Default"))
                if entry["next"] is None:
                    raise Stop("States.NoChoiceMatched", None)
                here = entry["next"]
                continue
            if t == "Pass":
                data = st.get("Result", data)
            else:
                entry.update(attempts=0, errors=[], waits=[])
                func = getattr(tasks, fn_name(st["Resource"]))
                retries = [0 for _ in st.get("Retry", [])]
                while True:
                    entry["attempts"] += 1
                    try:
                        data = func(data)
                        failure = None
                    except Exception as err:  # noqa: BLE001
                        failure = (type(err).__name__, str(err))
                    if failure is None:
                        break
                    entry["errors"].append(failure[0])
                    which = next((i for i, r in enumerate(st.get("Retry", []))
                                  if caught_by(r["ErrorEquals"], failure[0])), None)
                    if which is not None and retries[which] < st["Retry"][which].get("MaxAttempts", 3):
                        r = st["Retry"][which]
                        entry["waits"].append(r.get("IntervalSeconds", 1) * r.get("BackoffRate", 2.0) ** retries[which])
                        retries[which] += 1
                        continue
                    catcher = next((c for c in st.get("Catch", []) if caught_by(c["ErrorEquals"], failure[0])), None)
                    if catcher is None:
                        raise Stop(*failure)
                    data = {"Error": failure[0], "Cause": failure[1]}
                    entry["next"] = here = catcher["Next"]
                    break
                if entry["next"] is not None:
                    continue
            if st.get("End") is True:
                break
            entry["next"] = here = st["Next"]
    except Stop as stop:
        return {"status": "FAILED", "output": None, "error": stop.error, "cause": stop.cause,
                "steps": len(trace), "trace": trace}
    return {"status": "SUCCEEDED", "output": data, "error": None, "cause": None,
            "steps": len(trace), "trace": trace}
