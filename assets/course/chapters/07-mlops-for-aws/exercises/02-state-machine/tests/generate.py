"""Write this attempt's hidden tasks module, state machines, inputs and cases into $KAIZEN_GEN.

- hidden_tasks.py: task functions whose failures and results follow their input
- pipeline.json + inputs: a retraining workflow with its own threshold and Retry settings; a
  flaky step that recovers or runs out of retries, accuracy below, at and above the gate
- retries.json + inputs: two retriers (a named error, then States.ALL) and a Catch, driven by
  scripted error sequences
- choices.json + inputs: string, boolean and number rules, type mismatches, the first match
  winning, a missing variable; nodefault.json: no rule matches and there is no Default
- loop.json: a loop that ends, and one that never does (stopped by --max-steps)
- pass.json: Pass states with and without Result
- bad_*.json: machines sfn.py must refuse with exit status 2
"""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)
cases = []
ARN = "arn:aws:lambda:eu-west-1:444455556666:function:"


def write(name, value):
    path = os.path.join(out, name)
    with open(path, "w") as f:
        json.dump(value, f, indent=1)
    return path


def case(label, machine, data, max_steps=None, want=None, tags=()):
    """One execution to compare; its tags say which tests it counts for."""
    n = len(cases)
    cases.append({"label": label, "machine": machine, "input": write(f"input_{n}.json", data),
                  "max_steps": max_steps, "want": want,
                  "tags": [label.split(",")[0].split(" ")[0].lower()] + list(tags)})


busy, broken, slow = rng.sample(["Throttled", "ServiceBusy", "Unavailable", "Overloaded",
                                 "Crashed", "BadRequest", "TimedOut", "Conflict"], 3)
with open(os.path.join(out, "hidden_tasks.py"), "w") as f:
    f.write(f'''"""Hidden tasks for the checker: behaviour follows the input."""
CALLS = {{}}


class {busy}(Exception):
    pass


class {broken}(Exception):
    pass


class {slow}(Exception):
    pass


def _n(name):
    CALLS[name] = CALLS.get(name, 0) + 1
    return CALLS[name]


def load(state):
    return dict(state, loaded=state.get("size", 100))


def check(state):
    n = _n("check")
    if n <= state.get("busy_for", 0):
        raise {busy}("busy, call " + str(n))
    if state.get("loaded", 0) < 50:
        raise {broken}("only " + str(state.get("loaded")) + " rows")
    return dict(state, checked=True)


def fit(state):
    return dict(state, model="m" + str(state.get("loaded", 0)))


def score(state):
    return dict(state, metrics={{"auc": state["auc"]}})


def publish(state):
    return dict(state, published=True)


def alert(state):
    return {{"alerted": True, "about": state}}


ERRORS = {{"{busy}": {busy}, "{broken}": {broken}, "{slow}": {slow}}}


def wobble(state):
    n = _n("wobble")
    script = state.get("script", [])
    if n <= len(script) and script[n - 1]:
        raise ERRORS[script[n - 1]]("scripted failure " + str(n))
    return dict(state, wobbled=n)


def bump(state):
    return dict(state, round=state.get("round", 0) + 1)
''')

# 1. a retraining pipeline with its own gate and retry settings
gate = round(rng.uniform(0.7, 0.9), 2)
attempts = rng.randint(1, 4)
interval = rng.choice([1, 2, 5, 10])
backoff = rng.choice([1.5, 2.0, 3.0])
pipeline = {
    "StartAt": "Load",
    "States": {
        "Load": {"Type": "Task", "Resource": ARN + "load", "Next": "Check"},
        "Check": {"Type": "Task", "Resource": ARN + "check",
                  "Retry": [{"ErrorEquals": [busy], "IntervalSeconds": interval,
                             "MaxAttempts": attempts, "BackoffRate": backoff}],
                  "Catch": [{"ErrorEquals": [broken], "Next": "Alert"}],
                  "Next": "Fit"},
        "Fit": {"Type": "Task", "Resource": "fit", "Next": "Score"},
        "Score": {"Type": "Task", "Resource": ARN + "score", "Next": "Gate"},
        "Gate": {"Type": "Choice",
                 "Choices": [{"Variable": "$.metrics.auc", "NumericGreaterThanEquals": gate,
                              "Next": "Publish"}],
                 "Default": "Reject"},
        "Publish": {"Type": "Task", "Resource": ARN + "publish", "End": True},
        "Reject": {"Type": "Fail", "Error": "BelowGate", "Cause": f"auc under {gate}"},
        "Alert": {"Type": "Task", "Resource": ARN + "alert", "Next": "Stop"},
        "Stop": {"Type": "Fail", "Error": "BadData"},
    },
}
pipe = write("pipeline.json", pipeline)
case("pipeline, healthy run", pipe, {"size": rng.randint(60, 500), "auc": round(gate + 0.05, 2)})
case("pipeline, flaky check that recovers", pipe,
     {"size": rng.randint(60, 500), "busy_for": attempts, "auc": round(gate + 0.01, 2)})
case("pipeline, flaky check that runs out of retries", pipe,
     {"size": rng.randint(60, 500), "busy_for": attempts + 1, "auc": gate})
case("pipeline, accuracy exactly at the gate", pipe, {"size": 80, "auc": gate})
case("pipeline, accuracy below the gate", pipe, {"size": 80, "auc": round(gate - 0.03, 2)})
case("pipeline, bad data caught", pipe, {"size": rng.randint(1, 49), "auc": 0.99}, tags=["catch"])

# 2. two retriers and a catcher
retries = {
    "StartAt": "Wobble",
    "States": {
        "Wobble": {"Type": "Task", "Resource": ARN + "wobble",
                   "Retry": [{"ErrorEquals": [busy], "MaxAttempts": 2, "IntervalSeconds": 1,
                              "BackoffRate": 2},
                             {"ErrorEquals": ["States.ALL"], "MaxAttempts": 1,
                              "IntervalSeconds": 3}],
                   "Catch": [{"ErrorEquals": [broken], "Next": "Cleanup"}],
                   "Next": "Done"},
        "Cleanup": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}
ret = write("retries.json", retries)
scripts = [
    [busy, busy, None],                  # two retries, then success
    [busy, busy, busy],                  # the named retrier runs out: not handed to States.ALL
    [slow, None],                        # States.ALL retries once
    [slow, slow],                        # States.ALL runs out: uncaught, the execution fails
    [busy, slow, busy, None],            # each retrier keeps its own count
    [broken, broken],                    # retried once by States.ALL, then caught
]
rng.shuffle(scripts)
for script in scripts:
    case("retries, errors " + " ".join(s or "ok" for s in script), ret, {"script": script},
         tags=["catch"] if script[0] == broken else [])

# 3. choices
choices = {
    "StartAt": "Route",
    "States": {
        "Route": {"Type": "Choice", "Choices": [
            {"Variable": "$.tier", "StringEquals": "gold", "Next": "Gold"},
            {"Variable": "$.flags.urgent", "BooleanEquals": True, "Next": "Urgent"},
            {"Variable": "$.cost", "NumericLessThan": rng.choice([10, 25, 40]), "Next": "Cheap"},
        ], "Default": "Other"},
        "Gold": {"Type": "Pass", "Result": {"route": "gold"}, "End": True},
        "Urgent": {"Type": "Pass", "Result": {"route": "urgent"}, "End": True},
        "Cheap": {"Type": "Pass", "Result": {"route": "cheap"}, "End": True},
        "Other": {"Type": "Pass", "Result": {"route": "other"}, "End": True},
    },
}
cho = write("choices.json", choices)
limit = choices["States"]["Route"]["Choices"][2]["NumericLessThan"]
case("choices, first rule", cho, {"tier": "gold", "flags": {"urgent": True}, "cost": 1})
case("choices, second rule wins over the third", cho,
     {"tier": "silver", "flags": {"urgent": True}, "cost": 1})
case("choices, a number rule", cho, {"tier": "silver", "flags": {"urgent": False}, "cost": limit - 1})
case("choices, a number rule exactly at its limit", cho,
     {"tier": "silver", "flags": {"urgent": False}, "cost": limit})
case("choices, a string where a number is compared", cho,
     {"tier": "silver", "flags": {"urgent": "true"}, "cost": str(limit - 5)})
case("choices, true where a number is compared, 1 where a boolean is", cho,
     {"tier": "silver", "flags": {"urgent": 1}, "cost": True})
case("choices, a missing variable", cho, {"tier": "silver", "cost": 1})
nodefault = {"StartAt": "Route", "States": {
    "Route": {"Type": "Choice", "Choices": [
        {"Variable": "$.score", "NumericGreaterThan": 0.5, "Next": "Yes"}]},
    "Yes": {"Type": "Succeed"}}}
case("choices, no match and no Default", write("nodefault.json", nodefault), {"score": 0.25})

# 4. loops
rounds = rng.randint(3, 6)
loop = {"StartAt": "Bump", "States": {
    "Bump": {"Type": "Task", "Resource": ARN + "bump", "Next": "Enough"},
    "Enough": {"Type": "Choice", "Choices": [
        {"Variable": "$.round", "NumericGreaterThanEquals": rounds, "Next": "Done"}],
        "Default": "Bump"},
    "Done": {"Type": "Succeed"}}}
case("loop, one that ends", write("loop.json", loop), {"round": 0})
forever = {"StartAt": "Tick", "States": {
    "Tick": {"Type": "Pass", "Next": "Tock"},
    "Tock": {"Type": "Pass", "Next": "Tick"}}}
case("loop, one without an exit", write("forever.json", forever), {"n": 1},
     max_steps=rng.randint(7, 19))

# 5. Pass
passes = {"StartAt": "Keep", "States": {
    "Keep": {"Type": "Pass", "Next": "Replace"},
    "Replace": {"Type": "Pass", "Result": {"stage": rng.choice(["beta", "gamma", "prod"])},
                "Next": "Last"},
    "Last": {"Type": "Pass", "End": True}}}
case("pass, with and without Result", write("pass.json", passes), {"keep": rng.randint(1, 9)})

# 6. machines to refuse
bad = {
    "bad_type": {"StartAt": "A", "States": {
        "A": {"Type": rng.choice(["Map", "Parallel", "Wait"]), "Next": "B"},
        "B": {"Type": "Succeed"}}},
    "bad_next": {"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": ARN + "load", "Next": "Chek"},
        "Check": {"Type": "Succeed"}}},
    "bad_end": {"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": ARN + "load", "Next": "B", "End": True},
        "B": {"Type": "Succeed"}}},
    "bad_resource": {"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": ARN + "no_such_function", "End": True}}},
    "bad_start": {"StartAt": "Begin", "States": {"A": {"Type": "Succeed"}}},
    "bad_default": {"StartAt": "A", "States": {
        "A": {"Type": "Choice", "Choices": [
            {"Variable": "$.x", "NumericEquals": 1, "Next": "B"}], "Default": "Nowhere"},
        "B": {"Type": "Succeed"}}},
}
for name, machine in bad.items():
    case(name, write(f"{name}.json", machine), {"size": 100}, want="refused")

write("cases.json", cases)
