"""Run the learner's iac.py on this attempt's hidden desired and state files; compare with the
reference. Every run happens in a scratch folder of its own.

Writes {"tests": [...]} to $KAIZEN_RESULTS. Messages name resources and lines, never whole files.
"""
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import iacref  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
IAC = os.path.abspath("iac.py")
SCRATCH = tempfile.mkdtemp(prefix="iac-check-")
results = []


def report(name, msg):
    results.append({"name": name, "status": "fail" if msg else "pass", "message": msg})


def load(path):
    with open(path) as f:
        return json.load(f)


def folder(case):
    """A fresh folder holding desired.json and, when the case has one, state.json."""
    d = tempfile.mkdtemp(prefix=case["name"] + "-", dir=SCRATCH)
    shutil.copy(case["desired"], os.path.join(d, "desired.json"))
    if case["state"]:
        shutil.copy(case["state"], os.path.join(d, "state.json"))
    return d


def small_files():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, hard))


class Run:
    def __init__(self, cwd, *args, limit_writes=False):
        cmd = [sys.executable, IAC] + list(args) + ["--state", "state.json"]
        self.shown = "python3 iac.py " + " ".join(args)
        try:
            p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=20, preexec_fn=small_files if limit_writes else None)
            self.code = p.returncode
            self.out = p.stdout.decode(errors="replace")
            self.err = p.stderr.decode(errors="replace")
        except subprocess.TimeoutExpired:
            self.code, self.out, self.err = None, "", "timed out after 20 s"

    def crash(self):
        """A short description when the program crashed (a traceback), else ''."""
        if "Traceback (most recent call last)" in self.err:
            last = self.err.strip().splitlines()[-1][:200]
            return f"`{self.shown}` crashed: {last}"
        if self.code is None:
            return f"`{self.shown}` did not finish within 20 s"
        return ""


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def lines_problem(run, want):
    got = run.out.rstrip("\n").split("\n") if run.out.strip() else []
    for i, (g, w) in enumerate(zip(got, want), start=1):
        if g.rstrip() != w:
            why = ""
            if w not in got:
                why = " (your output has no such line)"
            elif g.rstrip() not in want:
                why = " (the expected output has no such line)"
            else:
                why = " (both lines belong in the output: check the order)"
            return f"line {i} of the output is {g.rstrip()!r}, expected {w!r}{why}"
    if len(got) < len(want):
        return f"the output stops after {len(got)} lines; line {len(got) + 1} should be {want[len(got)]!r}"
    if len(got) > len(want):
        return f"line {len(want) + 1} of the output, {got[len(want)]!r}, should not be there"
    return ""


def main():
    cases = load(os.path.join(GEN, "cases.json"))
    good = [c for c in cases if c["kind"] == "ok"]
    ref = {}
    for c in good:
        desired = load(c["desired"])
        state = load(c["state"]) if c["state"] else {"serial": 0, "resources": []}
        ref[c["name"]] = (desired, state, iacref.plan(desired, state))

    # 1. plans, line for line
    msg = ""
    for c in good:
        if c["name"] == "same":
            continue
        d = folder(c)
        run = Run(d, "plan", "desired.json")
        msg = run.crash() or lines_problem(run, iacref.render(ref[c["name"]][2]))
        if msg:
            msg = f"plan {c['name']!r}: {msg}"
            break
    report("Hidden plans: every action, attribute line and summary in order", msg)

    # 2. plan exit statuses, and plan never writes
    msg = ""
    for c in good:
        d = folder(c)
        before = read_bytes(os.path.join(d, "state.json"))
        run = Run(d, "plan", "desired.json")
        want = 2 if ref[c["name"]][2] else 0
        after = read_bytes(os.path.join(d, "state.json"))
        if run.crash():
            msg = run.crash()
        elif run.code != want:
            msg = (f"plan {c['name']!r} exited with {run.code}, expected {want} "
                   f"({'changes are pending' if want else 'nothing to change'})")
        elif after != before:
            msg = (f"plan {c['name']!r} " + ("created a state file" if before is None
                                              else "changed the state file") + ": plan only reads")
        if msg:
            break
    report("plan exits 2 with changes pending, 0 with none, and never writes the state", msg)

    # 3. same resources in another order
    c = next(c for c in good if c["name"] == "same")
    run = Run(folder(c), "plan", "desired.json")
    msg = run.crash() or lines_problem(run, ["No changes."])
    if msg:
        msg += (" (the state holds the same resources and values as the desired file, in another "
                "order and with attribute keys in another order: match resources by type and id, "
                "and compare values as JSON with sorted keys)")
    elif run.code != 0:
        msg = f"plan exited with {run.code}, expected 0 when there is nothing to change"
    report("A state with the same resources in another order gives \"No changes.\"", msg)

    # 4 and 5. apply writes the new state; a second apply changes nothing
    msg4 = msg5 = ""
    for c in good:
        if c["name"] == "same":
            continue
        desired, state, actions = ref[c["name"]]
        flags = ["--allow-destroy"] if iacref.destroyed(actions) else []
        d = folder(c)
        run = Run(d, "apply", "desired.json", *flags)
        label = f"apply {c['name']!r}" + (" --allow-destroy" if flags else "")
        want_lines = iacref.render(actions) + [
            "Apply complete: %d added, %d changed, %d destroyed." % iacref.tally(actions)]
        try:
            written = load(os.path.join(d, "state.json"))
        except (OSError, ValueError):
            written = None
        expected = iacref.new_state(desired, state)
        if run.crash() or run.code != 0:
            msg4 = run.crash() or f"{label} exited with {run.code}, expected 0"
        elif lines_problem(run, want_lines):
            msg4 = f"{label}: {lines_problem(run, want_lines)}"
        elif written is None:
            msg4 = f"after {label}, state.json is missing or not JSON"
        elif written.get("serial") != expected["serial"]:
            msg4 = (f"after {label}, \"serial\" is {written.get('serial')!r}, expected "
                    f"{expected['serial']} (one more than before)")
        elif written != expected:
            got = [f"{r.get('type')}.{r.get('id')}" for r in written.get("resources", [])
                   if isinstance(r, dict)] if isinstance(written.get("resources"), list) else None
            want = [f"{r['type']}.{r['id']}" for r in expected["resources"]]
            if got != want:
                msg4 = (f"after {label}, the state's resources are {got}, expected {want} "
                        "(the desired resources, buckets first, then model versions, then "
                        "endpoints, each sorted by id)")
            else:
                bad = next(r["type"] + "." + r["id"] for r, w in
                           zip(written["resources"], expected["resources"]) if r != w)
                msg4 = (f"after {label}, the state entry for {bad} differs from the desired one "
                        "(each entry is {\"type\", \"id\", \"attributes\"}, nothing else)")
        elif sorted(os.listdir(d)) != ["desired.json", "state.json"]:
            extra = sorted(set(os.listdir(d)) - {"desired.json", "state.json"})
            msg4 = f"{label} left {extra} next to the state file: rename or remove the temporary file"
        if msg4:
            break
        first = read_bytes(os.path.join(d, "state.json"))
        again = Run(d, "apply", "desired.json", *flags)
        if again.crash() or again.code != 0:
            msg5 = again.crash() or f"a second {label} exited with {again.code}, expected 0"
        elif again.out.strip() != "No changes.":
            shown = again.out.strip().splitlines()
            msg5 = (f"a second {label} printed {len(shown)} line(s), starting {shown[:2]}; "
                    "expected exactly \"No changes.\": with nothing to change, apply stops after "
                    "the plan, and the state it wrote must compare equal to the desired file")
        elif read_bytes(os.path.join(d, "state.json")) != first:
            msg5 = (f"a second {label} rewrote state.json although nothing changed: with nothing "
                    "to do, apply writes nothing (the serial stays)")
        if msg5:
            break
    if msg4 and not msg5:
        msg5 = "not tested: apply must work first"
    report("apply prints the plan, writes the new state (serial + 1, resources in order) and "
           "leaves no temporary file", msg4)
    report("A second apply prints \"No changes.\" and leaves the state byte for byte", msg5)

    # 6. destroys need --allow-destroy
    msg = ""
    for name in ("mixed1", "teardown"):
        c = next(c for c in good if c["name"] == name)
        d = folder(c)
        before = read_bytes(os.path.join(d, "state.json"))
        run = Run(d, "apply", "desired.json")
        doomed = iacref.destroyed(ref[name][2])
        if run.crash():
            msg = run.crash()
        elif run.code != 3:
            msg = (f"apply {name!r} without --allow-destroy exited with {run.code}, expected 3: "
                   f"it would destroy {len(doomed)} resource(s)")
        elif read_bytes(os.path.join(d, "state.json")) != before:
            msg = f"apply {name!r} was refused (exit 3) but changed the state file anyway"
        elif "--allow-destroy" not in run.err:
            msg = f"when apply {name!r} is refused, stderr should tell the user about --allow-destroy"
        else:
            missing = [a for a in doomed if a not in run.err]
            if missing:
                msg = (f"when apply {name!r} is refused, stderr should name every resource that "
                       f"would be destroyed; {missing[0]} is not named")
        if msg:
            break
    report("apply refuses to delete or replace without --allow-destroy: exit 3, state untouched",
           msg)

    # 7. unusable files
    msg = ""
    what = {"bad_type": "a resource of an unknown type", "bad_duplicate": "the same resource twice",
            "bad_required": "a resource without one of its required attributes",
            "bad_null": "an attribute whose value is null",
            "bad_reference": "an endpoint serving a model_version the file does not declare",
            "bad_json": "a desired file that is not valid JSON",
            "bad_serial": "a state file whose serial is not an integer of at least 0"}
    for c in cases:
        if c["kind"] == "ok":
            continue
        for args in (["plan", "desired.json"], ["apply", "desired.json", "--allow-destroy"]):
            d = folder(c)
            before = read_bytes(os.path.join(d, "state.json"))
            run = Run(d, *args)
            if run.code != 1 or read_bytes(os.path.join(d, "state.json")) != before:
                how = (f"exited with {run.code}" if run.code != 1 else "changed the state file")
                tail = run.err.strip().splitlines()[-1][:160] if run.err.strip() else ""
                msg = (f"given {what[c['name']]}, `{run.shown}` {how}; expected exit status 1, "
                       "a message on stderr, and no change to the state")
                if run.crash():
                    msg += f" (it crashed: {tail})"
                break
        if msg:
            break
    report("Unusable desired or state files exit 1 and change nothing", msg)

    # 8. a write that fails halfway
    c = next(c for c in good if c["name"] == "mixed2")
    d = folder(c)
    before = read_bytes(os.path.join(d, "state.json"))
    run = Run(d, "apply", "desired.json", "--allow-destroy", limit_writes=True)
    after = read_bytes(os.path.join(d, "state.json"))
    if msg4:
        msg = "not tested: apply must work first"
    elif after != before:
        how = "removed" if after is None else "emptied" if not after else "left half-written"
        msg = ("when writing the new state fails halfway (the checker lets no file grow past 64 "
               f"bytes, like a full disk), state.json must keep its old content; it was {how}. "
               "Write the new state to a temporary file in the same folder, then os.replace() "
               "it over state.json")
    elif run.code == 0:
        msg = ("when writing the new state fails, apply must not exit 0: report the error on "
               "stderr and exit 1")
    else:
        msg = ""
    report("A write that fails halfway leaves the old state file intact", msg)


if __name__ == "__main__":
    try:
        main()
    except Exception as err:  # a bug in the checker, not in the learner's work
        results.append({"name": "Checker", "status": "error", "message": f"{type(err).__name__}: {err}"})
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
