"""Write this attempt's hidden rollout logs, policies and a list of cases into $KAIZEN_GEN.

Cases (each a log and a policy):
- healthy:  the canary behaves like stable and is promoted step by step
- errors:   the canary's error rate jumps at a random step and it is rolled back
- latency:  the canary gets slower at a random step and it is rolled back
- quiet:    low-traffic windows first (hold), and the log ends mid-rollout (in progress)
- boundary: windows exactly at the error-rate and p95 limits (promote), one with too few stable
  requests (hold), then one just over the p95 limit (rollback)
- custom:   another policy: other steps, window length, minimum and limits
- bad_*:    policies and logs that canary.py must refuse with exit status 2
Every log has shadow requests and some late lines; the first three have blank lines.
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from traffic import (DEFAULT_POLICY, reference, robust, shuffle_some, simulate,  # noqa: E402
                     to_jsonl)

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)
cases = []


def write(name, text):
    path = os.path.join(out, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def healthy_cfg(**changes):
    cfg = {"stable_err": 0.01, "canary_err": 0.01, "canary_slow": 1.0, "median_ms": 70.0,
           "sigma": 0.2, "shadow": 0.03}
    cfg.update(changes)
    return cfg


def add_case(name, policy, scenario, want, max_windows=12, extra=2, moves=8, blanks=0):
    """Simulate until the reference reaches the wanted decision with a robust log."""
    t0 = rng.randrange(1_719_000_000, 1_721_000_000, policy["window_s"])
    for _ in range(50):
        requests = simulate(rng, policy, t0, scenario, max_windows, extra)
        if robust(requests, policy) and reference(requests, policy)["decision"] == want:
            break
    else:
        raise SystemExit(f"generate.py: could not make a {want} rollout for {name}")
    lines = shuffle_some(rng, requests, moves)
    log = write(f"{name}.jsonl", to_jsonl(lines, blanks))
    pol = write(f"{name}.policy.json", json.dumps(policy, indent=2) + "\n")
    cases.append({"name": name, "log": log, "policy": pol, "want": want})


policy = dict(DEFAULT_POLICY)

add_case("healthy", policy, lambda w, step: (rng.randint(260, 420), healthy_cfg()),
         "promoted", blanks=97)

bad_step = rng.randint(0, 2)
jump = rng.uniform(0.06, 0.12)
add_case("errors", policy,
         lambda w, step: (rng.randint(260, 420),
                          healthy_cfg(canary_err=0.01 if step < bad_step else jump)),
         "rolled_back", blanks=113)

slow_step = rng.randint(0, 2)
slow = rng.uniform(1.5, 1.8)
add_case("latency", policy,
         lambda w, step: (rng.randint(260, 420),
                          healthy_cfg(canary_slow=1.0 if step < slow_step else slow)),
         "rolled_back", blanks=89)

quiet = rng.randint(1, 3)
add_case("quiet", policy,
         lambda w, step: (rng.randint(40, 120) if w < quiet else rng.randint(300, 420),
                          healthy_cfg()),
         "in_progress", max_windows=quiet + len(policy["steps"]) - 2, extra=0)

# boundary: built by hand, window by window
width = policy["window_s"]
t0 = rng.randrange(1_719_000_000, 1_721_000_000, width)


def arm(version, start, n, p95_value, errors, below, above):
    """n requests whose nearest-rank p95 is exactly p95_value, with `errors` 5xx among them."""
    rank = -(-95 * n // 100)
    values = [round(rng.uniform(*below), 1) for _ in range(rank - 1)] + [p95_value]
    values += [round(rng.uniform(*above), 1) for _ in range(n - rank)]
    rng.shuffle(values)
    statuses = [503] * errors + [200] * (n - errors)
    rng.shuffle(statuses)
    return [{"ts": round(start + rng.uniform(0, width - 0.001), 3), "version": version,
             "status": st, "latency_ms": ms} for st, ms in zip(statuses, values)]


boundary = []
s1, k = rng.choice([(100.0, 1), (150.0, 2), (250.0, 1)])
start = t0
boundary += arm("stable", start, rng.randint(3, 6) * 100, s1, 0, (20, s1 - 5), (s1 + 1, s1 * 2))
boundary += arm("canary", start, 100 * k, round(1.2 * s1, 1), k, (20, s1), (1.2 * s1 + 1, s1 * 3))
s2 = rng.choice([80.0, 90.0, 110.0, 125.0])
start += width
boundary += arm("stable", start, rng.randint(2, 4) * 100, s2, 3, (20, s2 - 5), (s2 + 1, s2 * 2))
boundary += arm("canary", start, 100, round(1.2 * s2, 1), 1, (20, s2), (1.2 * s2 + 1, s2 * 3))
start += width  # plenty of canary requests, too few stable ones: still no verdict
boundary += arm("stable", start, rng.randint(10, 19), s2, 0, (20, s2 - 5), (s2 + 1, s2 * 2))
boundary += arm("canary", start, 300, s2, 0, (20, s2), (s2 + 1, s2 * 2))
start += width
boundary += arm("stable", start, 300, s2, 0, (20, s2 - 5), (s2 + 1, s2 * 2))
boundary += arm("canary", start, 300, round(1.2 * s2 + 0.1, 1), 0, (20, s2), (1.2 * s2 + 1, s2 * 3))
start += width
boundary += arm("stable", start, 200, s2, 0, (20, s2 - 5), (s2 + 1, s2 * 2))
assert robust(boundary, policy), "boundary log hinges on float formulation"
b_report = reference(boundary, policy)
assert [w["action"] for w in b_report["windows"]] == ["promote", "promote", "hold", "rollback"], b_report
write("boundary.jsonl", to_jsonl(shuffle_some(rng, boundary, 5)))
write("boundary.policy.json", json.dumps(policy, indent=2) + "\n")
cases.append({"name": "boundary", "log": os.path.join(out, "boundary.jsonl"),
              "policy": os.path.join(out, "boundary.policy.json"), "want": "rolled_back"})

custom = {
    "steps": rng.choice([[5, 20, 60, 100], [20, 100], [2, 10, 50, 100], [10, 30, 70, 100]]),
    "window_s": rng.choice([30, 120, 300]),
    "min_requests": rng.choice([10, 40]),
    "max_error_rate_increase": rng.choice([0.0, 0.005, 0.02]),
    "max_p95_ratio": rng.choice([1.1, 1.5]),
}
volume = max(300, int(custom["min_requests"] * 100 / custom["steps"][0] * 1.6))
kind = rng.choice(["promoted", "rolled_back"])
if kind == "promoted":
    cfg = healthy_cfg(sigma=0.12, stable_err=0.0, canary_err=0.0)
else:
    cfg = healthy_cfg(canary_slow=1.9, canary_err=0.08)
add_case("custom", custom, lambda w, step: (rng.randint(volume, volume * 5 // 4), cfg), kind)

# policies and logs to refuse
bad_policies = {
    "bad_order": dict(policy, steps=[10, 50, 25, 100]),
    "bad_end": dict(policy, steps=[10, 25, 50]),
    "bad_min": dict(policy, min_requests=0),
}
dropped = rng.choice(sorted(policy))
bad_policies["bad_missing"] = {k: v for k, v in policy.items() if k != dropped}
for name, pol in bad_policies.items():
    cases.append({"name": name, "log": cases[0]["log"],
                  "policy": write(f"{name}.policy.json", json.dumps(pol) + "\n"), "want": "error"})
with open(cases[0]["log"]) as f:
    lines = f.read().splitlines()
where = rng.randrange(len(lines) // 4, len(lines) // 2)
lines.insert(where, rng.choice(['{"ts": 1719000000.5, "version": "canary", "status": 200',
                                "GET /predict 200 81ms",
                                '{"ts": 1719000000.5, "version": "canary", "latency_ms": 80.0}']))
cases.append({"name": "bad_line", "log": write("bad_line.jsonl", "\n".join(lines) + "\n"),
              "policy": cases[0]["policy"], "want": "error", "line": where + 1})

write("cases.json", json.dumps(cases, indent=1) + "\n")
