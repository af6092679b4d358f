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
import tempfile

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
    """Raise ValueError unless resources is a list of well-formed resources, no address twice."""
    if not isinstance(resources, list):
        raise ValueError(f"{where}: \"resources\" must be a list")
    seen = set()
    for n, r in enumerate(resources):
        if not isinstance(r, dict):
            raise ValueError(f"{where}: resource {n} is not an object")
        if r.get("type") not in TYPES:
            raise ValueError(f"{where}: resource {n} has unknown type {r.get('type')!r}; "
                             f"expected one of {', '.join(TYPES)}")
        if not isinstance(r.get("id"), str) or not r["id"]:
            raise ValueError(f"{where}: resource {n} needs a non-empty string \"id\"")
        if not isinstance(r.get("attributes"), dict):
            raise ValueError(f"{where}: {address(r)} needs an \"attributes\" object")
        if address(r) in seen:
            raise ValueError(f"{where}: {address(r)} is declared twice")
        seen.add(address(r))


def validate_desired(doc):
    """Raise ValueError, with a message that says what is wrong, for an unusable desired file."""
    if not isinstance(doc, dict) or "resources" not in doc:
        raise ValueError("desired: expected an object with a \"resources\" list")
    check_resources(doc["resources"], "desired")
    versions = {r["id"] for r in doc["resources"] if r["type"] == "model_version"}
    for r in doc["resources"]:
        for key in TYPES[r["type"]]["required"]:
            if key not in r["attributes"]:
                raise ValueError(f"desired: {address(r)} lacks the attribute {key!r}")
        for key, value in r["attributes"].items():
            if value is None:
                raise ValueError(f"desired: {address(r)}: attribute {key!r} is null")
        if r["type"] == "endpoint" and r["attributes"]["model_version"] not in versions:
            raise ValueError(f"desired: {address(r)} serves model_version "
                             f"{r['attributes']['model_version']!r}, which is not declared")


def validate_state(doc):
    """Raise ValueError for an unusable state file."""
    if not isinstance(doc, dict) or "resources" not in doc:
        raise ValueError("state: expected an object with \"serial\" and \"resources\"")
    serial = doc.get("serial")
    if not isinstance(serial, int) or isinstance(serial, bool) or serial < 0:
        raise ValueError("state: \"serial\" must be an integer of at least 0")
    check_resources(doc["resources"], "state")


def changed_attributes(old, new):
    """The names of the attributes whose canonical JSON differs, sorted."""
    return sorted(k for k in old.keys() | new.keys() if show(old.get(k)) != show(new.get(k)))


def plan(desired, state):
    """Return the actions that turn state into desired, in the order they must run."""
    want = {address(r): r for r in desired["resources"]}
    have = {address(r): r for r in state["resources"]}
    actions = []
    for addr, r in want.items():
        if addr not in have:
            actions.append({"action": "create", "address": addr, "resource": r, "changes": []})
            continue
        old, new = have[addr]["attributes"], r["attributes"]
        changes = [(k, old.get(k), new.get(k), forces_replacement(r["type"], k))
                   for k in changed_attributes(old, new)]
        if not changes:
            continue
        verb = "replace" if any(c[3] for c in changes) else "update"
        actions.append({"action": verb, "address": addr, "resource": r, "changes": changes})
    deletes = [{"action": "delete", "address": addr, "resource": r, "changes": []}
               for addr, r in have.items() if addr not in want]
    actions.sort(key=lambda a: order_key(a["resource"]))
    deletes.sort(key=lambda a: (-TYPES[a["resource"]["type"]]["rank"], a["resource"]["id"]))
    return actions + deletes


SYMBOL = {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}


def counts(actions):
    add = sum(a["action"] in ("create", "replace") for a in actions)
    change = sum(a["action"] == "update" for a in actions)
    destroy = sum(a["action"] in ("delete", "replace") for a in actions)
    return add, change, destroy


def render(actions):
    """The plan as lines of text."""
    if not actions:
        return ["No changes."]
    lines = []
    for a in actions:
        lines.append(f"{SYMBOL[a['action']]} {a['address']}")
        for key, old, new, forces in a["changes"]:
            note = " (forces replacement)" if forces else ""
            lines.append(f"    {key}: {show(old)} -> {show(new)}{note}")
    add, change, destroy = counts(actions)
    lines.append(f"Plan: {add} to add, {change} to change, {destroy} to destroy.")
    return lines


def new_state(desired, state):
    """The state after a successful apply: the desired resources in order, serial + 1."""
    resources = [{"type": r["type"], "id": r["id"], "attributes": r["attributes"]}
                 for r in sorted(desired["resources"], key=order_key)]
    return {"serial": state["serial"] + 1, "resources": resources}


def write_state(path, state):
    """Write state to path atomically: a temporary file in the same folder, then os.replace."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".state-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(state, indent=2, sort_keys=True) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def cmd_plan(desired, state):
    actions = plan(desired, state)
    print("\n".join(render(actions)))
    return 2 if actions else 0


def cmd_apply(desired, state, state_path, allow_destroy):
    actions = plan(desired, state)
    print("\n".join(render(actions)))
    if not actions:
        return 0
    doomed = [a["address"] for a in actions if a["action"] in ("delete", "replace")]
    if doomed and not allow_destroy:
        print(f"iac.py: refusing to apply: {len(doomed)} resource(s) would be destroyed "
              f"({', '.join(doomed)}); run again with --allow-destroy if that is intended",
              file=sys.stderr)
        return 3
    try:
        write_state(state_path, new_state(desired, state))
    except OSError as err:
        print(f"iac.py: cannot write {state_path}: {err}; the old state is unchanged",
              file=sys.stderr)
        return 1
    add, change, destroy = counts(actions)
    print(f"Apply complete: {add} added, {change} changed, {destroy} destroyed.")
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
