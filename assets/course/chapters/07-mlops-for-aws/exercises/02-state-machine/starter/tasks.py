"""tasks.py: the Lambda functions of the retraining workflow, as local Python functions.

sfn.py calls the function a Task state's Resource names (the part after ":function:") with the
state's input, and the function's return value becomes the state's output. An exception is a
task failure; its class name is the error name that Retry and Catch match.

These stand-ins do no real work. Their behaviour comes from the input, so one file can play
every scenario: "rows" says how much data ingest finds, "flaky_validate" how many times the
validation service is busy before it answers, "accuracy" what the evaluation measures.
"""
CALLS = {}


class ServiceBusy(Exception):
    """A transient failure: trying again later usually works."""


class DataInvalid(Exception):
    """The data is wrong: trying again will not help."""


def _call(name):
    CALLS[name] = CALLS.get(name, 0) + 1
    return CALLS[name]


def ingest(state):
    return dict(state, rows=state.get("rows", 5000),
                snapshot="s3://example-bucket/snapshots/latest")


def validate(state):
    attempt = _call("validate")
    if attempt <= state.get("flaky_validate", 0):
        raise ServiceBusy(f"validation service busy (attempt {attempt})")
    if state["rows"] < 1000:
        raise DataInvalid(f"only {state['rows']} rows, need at least 1000")
    return dict(state, validated=True)


def train(state):
    return dict(state, model_uri="s3://example-bucket/models/candidate.json")


def evaluate(state):
    return dict(state, metrics={"accuracy": state.get("accuracy", 0.9)})


def register(state):
    return dict(state, registered=True, approval="PendingManualApproval")


def notify(state):
    return dict(state, notified=True)
