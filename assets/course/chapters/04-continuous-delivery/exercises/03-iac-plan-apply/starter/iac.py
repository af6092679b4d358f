#!/usr/bin/env python3
"""iac.py: a small infrastructure-as-code tool. It compares the resources a desired file declares
with the ones a state file records, prints the plan, and applies it.

Usage:
    python3 iac.py plan DESIRED.json [--state STATE.json]
    python3 iac.py apply DESIRED.json [--state STATE.json] [--allow-destroy]

Exit status: 0 nothing to do or applied, 2 plan with changes pending, 3 apply refused because it
would destroy resources, 1 for any error. README.md has the full rules.
"""
import argparse
import json
import os
import sys
import tempfile  # noqa: F401

# The resource types, in dependency order: a type may refer only to types listed before it.
TYPES = {
    "bucket": {"rank": 0, "required": ("region",), "forces_replacement": ("region",)},
    "model_version": {"rank": 1, "required": ("artifact", "sha256"), "forces_replacement": "all"},
    "endpoint": {"rank": 2, "required": ("instances", "model_version"), "forces_replacement": ()},
}
EMPTY_STATE = {"serial": 0, "resources": []}


class InputError(Exception):
    """A file cannot be used; the message says why."""


def show(value):
    """The canonical text of an attribute value: JSON with sorted keys. A missing value is null."""
    return json.dumps(value, sort_keys=True)


def address(resource):
    return f"{resource['type']}.{resource['id']}"


def forces_replacement(rtype, key):
    rule = TYPES[rtype]["forces_replacement"]
    return rule == "all" or key in rule


def order_key(resource):
    return (TYPES[resource["type"]]["rank"], resource["id"])


def check_resources(resources, where):
    """Raise ValueError unless resources is a list of well-formed resources, no address twice.

    TODO: resources is a list; each item is an object whose "type" is a key of TYPES, whose "id"
    is a non-empty string and whose "attributes" is an object; no two items share an address.
    Start each message with `where` ("desired" or "state") and name the resource.
    """


def validate_desired(doc):
    """Raise ValueError, with a message that says what is wrong, for an unusable desired file.

    TODO: doc is an object with a "resources" list that passes check_resources(); every resource
    has its type's required attributes; no attribute value is null; every endpoint's
    "model_version" is the id of a model_version declared in the same file.
    """


def validate_state(doc):
    """Raise ValueError for an unusable state file."""
    if not isinstance(doc, dict) or "resources" not in doc:
        raise ValueError("state: expected an object with \"serial\" and \"resources\"")
    serial = doc.get("serial")
    if not isinstance(serial, int) or isinstance(serial, bool) or serial < 0:
        raise ValueError("state: \"serial\" must be an integer of at least 0")
    check_resources(doc["resources"], "state")


def changed_attributes(old, new):
    """The names of the attributes whose values differ between old and new, sorted.

    TODO: look at every key of either dict; a missing key counts as None. Two values are equal
    when show() gives the same text for both (so true and 1 differ, and key order does not
    matter).
    """
    return []


def plan(desired, state):
    """Return the actions that turn state into desired, in the order they must run.

    Each action is a dict: {"action": "create" | "update" | "replace" | "delete",
    "address": "type.id", "resource": the desired resource (the state's one for a delete),
    "changes": [(key, old value, new value, forces replacement?), ...] sorted by key}.

    TODO: match resources by address. In desired only: create. In state only: delete. In both,
    with changed attributes: replace if any of them forces replacement, else update. Order:
    creates, updates and replaces by (type rank, id), then deletes by (reverse type rank, id).
    """
    return []


SYMBOL = {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}


def counts(actions):
    """(to add, to change, to destroy). TODO: a replace counts once as an add and once as a
    destroy."""
    return 0, 0, 0


def render(actions):
    """The plan as a list of lines (README.md shows the format).

    TODO: one line per action, "<symbol> <address>", then one line per changed attribute,
    indented four spaces: "key: <old> -> <new>", values written with show(), plus
    " (forces replacement)" when that attribute forces it. Then the "Plan: ..." summary line.
    With no actions, the only line is "No changes.".
    """
    if not actions:
        return ["No changes."]
    return [f"{SYMBOL[a['action']]} {a['address']}" for a in actions]


def new_state(desired, state):
    """The state after a successful apply.

    TODO: {"serial": state's serial + 1, "resources": the desired resources as
    {"type", "id", "attributes"}, sorted by order_key()}.
    """
    return state


def write_state(path, state):
    """Write state to path so that a crash can never leave it half-written.

    TODO: write json.dumps(state, indent=2, sort_keys=True) + "\n" to a temporary file in the
    same folder as path (tempfile.mkstemp(dir=...)), then os.replace() it over path. If
    anything fails, remove the temporary file and let the error propagate.
    """
    with open(path, "w", encoding="utf-8") as f:  # not safe: fix this
        f.write(json.dumps(state, indent=2, sort_keys=True) + "\n")


def cmd_plan(desired, state):
    actions = plan(desired, state)
    print("\n".join(render(actions)))
    return 2 if actions else 0


def cmd_apply(desired, state, state_path, allow_destroy):
    """Apply the plan; return the exit status.

    TODO: print the plan as cmd_plan() does. With nothing to do, stop there: exit 0 and write
    nothing. If the plan deletes or replaces anything and allow_destroy is false, print a
    message on stderr that names those resources and mentions --allow-destroy, and return 3
    without writing. Otherwise write new_state() with write_state() (an OSError: message on
    stderr, return 1), print "Apply complete: A added, C changed, D destroyed." and return 0.
    """
    actions = plan(desired, state)
    print("\n".join(render(actions)))
    return 0


def load_json(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as err:
        raise InputError(f"cannot read the {what} file {path}: {err.strerror}") from None
    except ValueError as err:
        raise InputError(f"the {what} file {path} is not JSON: {err}") from None


def load(desired_path, state_path):
    desired = load_json(desired_path, "desired")
    state = load_json(state_path, "state") if os.path.exists(state_path) else EMPTY_STATE
    try:
        validate_desired(desired)
        validate_state(state)
    except ValueError as err:
        raise InputError(str(err)) from None
    return desired, state


class Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 1, like every other error; 2 means "changes"
        self.print_usage(sys.stderr)
        self.exit(1, f"iac.py: {message}\n")


def main(argv=None):
    parser = Parser(description="Plan and apply changes to a small set of ML infrastructure.")
    parser.add_argument("command", choices=["plan", "apply"])
    parser.add_argument("desired", help="the desired resources, a JSON file")
    parser.add_argument("--state", default="state.json", help="the state file (default: state.json)")
    parser.add_argument("--allow-destroy", action="store_true",
                        help="let apply delete or replace resources")
    args = parser.parse_args(argv)
    try:
        desired, state = load(args.desired, args.state)
    except InputError as err:
        print(f"iac.py: {err}", file=sys.stderr)
        return 1
    if args.command == "plan":
        return cmd_plan(desired, state)
    return cmd_apply(desired, state, args.state, args.allow_destroy)


if __name__ == "__main__":
    sys.exit(main())
