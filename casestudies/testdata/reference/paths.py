"""Oracle output for casestudies/oracle_test.go.

Line 1 repeats the report line the simulator prints itself ("Counter({...})": endings per
complete choice sequence, where a run cut short by the out-of-runway rule is counted once per
way the remaining decisions could go). Every following line is one distinct path with its
ending, sorted: "<keys> <ending>", e.g. "BCBABBBBBBB A".

casestudy_sim.py is a verbatim copy of the research pack's reference/casestudy_sim.py. Paths
are walked depth first with the simulator's own apply() and ending(), in the same order of
steps as its run().
"""
import contextlib, io, os, runpy

here = os.path.dirname(os.path.abspath(__file__))
report = io.StringIO()
with contextlib.redirect_stdout(report):
    sim = runpy.run_path(os.path.join(here, "casestudy_sim.py"))
N, START, apply, ending = sim["N"], sim["START"], sim["apply"], sim["ending"]

out = []


def walk(node, state, flags, keys):
    for key, option in N[node].items():
        s, f = dict(state), set(flags)
        apply(s, f, option)
        if s["runway"] <= 0:
            out.append((keys + key, ending(s, f, True)))
        elif option["next"] is None:
            out.append((keys + key, ending(s, f, False)))
        else:
            walk(option["next"], s, f, keys + key)


walk("D1", dict(START), set(), "")
print(report.getvalue().splitlines()[0])
for keys, end in sorted(out):
    print(keys, end)
