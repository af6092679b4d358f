"""Write this attempt's hidden models and inputs into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

cases.json lists every file with what the checker expects of it.
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import graphs  # noqa: E402

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)


def write(name, data):
    with open(os.path.join(out, name), "w") as f:
        json.dump(data, f, indent=rng.choice([None, 1]))
    return os.path.join(out, name)


models = {"logistic": graphs.logistic(rng), "mlp": graphs.mlp(rng), "residual": graphs.residual(rng)}
cases = {"valid": [], "broken": []}
for name, m in models.items():
    k = m["inputs"][0]["shape"][1]
    path = write(f"{name}.json", m)
    normal = write(f"{name}_inputs.json", {"x": graphs.rows(rng, k, rng.randint(4, 9))})
    extreme = write(f"{name}_extreme.json", {"x": graphs.extreme_rows(rng, k)})
    cases["valid"].append({"kind": name, "model": path, "inputs": normal, "extreme": extreme})

breakers = [graphs.break_unknown_op, graphs.break_opset, graphs.break_dangling, graphs.break_order,
            graphs.break_shape, graphs.break_output, graphs.break_two_first_wins, graphs.break_two_order_first]
n = 0
for breaker in breakers:
    for kind in rng.sample(sorted(models), 2):
        for _ in range(20):  # a random breakage could, rarely, hit a second problem first: draw again
            broken, code = breaker(rng, models[kind])
            if graphs.first_problem(broken) == code:
                break
        else:
            raise SystemExit(f"generate.py: could not plant {breaker.__name__} in {kind}")
        n += 1
        path = write(f"broken_{n:02d}.json", broken)
        cases["broken"].append({"kind": kind, "model": path, "code": code, "planted": breaker.__name__,
                                "inputs": os.path.join(out, f"{kind}_inputs.json")})

with open(os.path.join(out, "cases.json"), "w") as f:
    json.dump(cases, f, indent=1)
