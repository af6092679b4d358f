"""Write this attempt's hidden pipelines and data into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

scenario.json describes four projects (main, cycle, flaky, forget); check_pipeline.py builds
each in its own directory. Every step is a POSIX shell command that first appends its name to
trace.log, so the checker can tell which steps really ran. "mode" is for the checker only.
"""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

POOLS = {
    "clean": ["clean", "prep", "scrub", "tidy"],
    "features": ["featurize", "features", "encode"],
    "stats": ["profile", "stats", "describe"],
    "train": ["train", "fit", "learn"],
    "evaluate": ["evaluate", "score", "validate"],
    "lookup": ["labels", "lookup", "dictionary"],
    "report": ["report", "publish", "summary"],
}
name = {role: f"{rng.choice(words)}{rng.randint(1, 9)}" for role, words in POOLS.items()}


def command(mode, name, output, inputs):
    """A POSIX shell command for a step: it notes its name in trace.log, then writes output."""
    parts = []
    if "/" in output:
        parts.append("mkdir -p " + output.rsplit("/", 1)[0])
    parts.append(f"echo {name} >> trace.log")
    if mode == "failif":
        parts.append("[ ! -e FLAKY ]")
    if mode == "clean":
        parts.append(f"grep -v -e '^#' -e '^ *$' {inputs[0]} > {output}")
    elif mode != "forget":
        parts.append(f"{{ echo {name}; env | grep '^PARAM_' | LC_ALL=C sort; cat {' '.join(inputs)}; }} > {output}")
    return " && ".join(parts)


def step(role, mode, output, inputs, params=None):
    s = {"name": name[role], "run": command(mode, name[role], output, inputs), "mode": mode,
         "inputs": inputs, "outputs": [output]}
    if params is not None:
        s["params"] = params
    return s


def plain(step_name, mode, output, inputs):
    return {"name": step_name, "run": command(mode, step_name, output, inputs), "mode": mode,
            "inputs": inputs, "outputs": [output]}


threshold = rng.choice([0.35, 0.4, 0.45, 0.5, 0.55])
main = [
    step("clean", "clean", "build/clean.csv", ["data/raw.csv"]),
    step("features", "mix", "build/features.csv", ["build/clean.csv"],
         {"scaling": rng.choice(["standard", "minmax", "robust"])}),
    step("stats", "mix", "build/stats.json", ["build/clean.csv"]),
    step("train", "mix", "build/model/model.json", ["build/features.csv"],
         {"epochs": rng.randint(5, 60), "learning_rate": rng.choice([0.01, 0.05, 0.1])}),
    step("evaluate", "mix", "build/metrics.json", ["build/model/model.json", "build/features.csv"],
         {"threshold": threshold}),
    step("lookup", "mix", "build/labels.json", ["data/labels.csv"]),
    step("report", "mix", "report.txt", ["build/metrics.json", "build/stats.json", "build/labels.json"]),
]
rng.shuffle(main)
# make sure at least one step is listed before a step it depends on
ids = [s["name"] for s in main]
if ids.index(name["train"]) < ids.index(name["evaluate"]) and ids.index(name["clean"]) < ids.index(name["features"]):
    i, j = ids.index(name["train"]), ids.index(name["evaluate"])
    main[i], main[j] = main[j], main[i]

rows = ["id,x,y"] + [f"{i},{rng.randint(100, 999)},{rng.randint(1, 99)}" for i in range(rng.randint(12, 30))]
labels = ["code,label"] + [f"{c},{w}" for c, w in zip("ABCDE", rng.sample(["cat", "dog", "eel", "fox", "gnu", "hen"], 5))]

a, b, c, d = (f"{w}{rng.randint(1, 9)}" for w in rng.sample(["alpha", "bravo", "charlie", "delta", "echo"], 4))
cycle = [
    plain(d, "mix", f"out/{d}.txt", ["data/raw.csv"]),
    plain(a, "mix", f"out/{a}.txt", [f"out/{c}.txt"]),
    plain(b, "mix", f"out/{b}.txt", [f"out/{a}.txt"]),
    plain(c, "mix", f"out/{c}.txt", [f"out/{b}.txt"]),
]

first, flaky, after = (f"{w}{rng.randint(1, 9)}" for w in rng.sample(["load", "split", "fit", "check", "ship"], 3))
flaky_steps = [
    plain(first, "mix", "out/a.txt", ["data/raw.csv"]),
    plain(flaky, "failif", "out/b.txt", ["out/a.txt"]),
    plain(after, "mix", "out/c.txt", ["out/b.txt"]),
]
forget = f"export{rng.randint(1, 9)}"
forget_steps = [plain(forget, "forget", "out/model.bin", ["data/raw.csv"])]

scenario = {
    "roles": name,
    "main": main,
    "other_threshold": rng.choice([t for t in (0.6, 0.65, 0.7, 0.75) if t != threshold]),
    "raw": "\n".join(rows) + "\n",
    "labels": "\n".join(labels) + "\n",
    "new_row": f"{len(rows)},{rng.randint(100, 999)},{rng.randint(1, 99)}",
    "comment": f"# checked by hand on day {rng.randint(1, 28)}",
    "cycle": cycle,
    "flaky": flaky_steps,
    "flaky_name": flaky,
    "forget": forget_steps,
}
with open(os.path.join(out, "scenario.json"), "w") as f:
    json.dump(scenario, f, indent=1)
