"""Synthetic canary rollouts and a reference controller, shared by generate.py and the checker.

A rollout is simulated window by window: each window's traffic is split between stable and canary
at the share the reference controller has reached so far, so the logs look like what a real
router would have written while the controller was acting on them.
"""
import json
import math

DEFAULT_POLICY = {
    "steps": [10, 25, 50, 100],
    "window_s": 60,
    "min_requests": 20,
    "max_error_rate_increase": 0.01,
    "max_p95_ratio": 1.2,
}


# ---- the reference controller --------------------------------------------------------------

def nearest_rank_p95(values):
    ordered = sorted(values)
    return ordered[math.ceil(95 * len(ordered) / 100) - 1]


def summarize(arm):
    n = len(arm)
    errors = len([1 for status, _ in arm if status >= 500])
    if not n:
        return n, errors, None, None
    return n, errors, errors / n, nearest_rank_p95([ms for _, ms in arm])


def reference(requests, policy):
    """The report canary.py must print for these requests (dicts) under this policy."""
    width = policy["window_s"]
    steps = policy["steps"]
    buckets = {}
    ignored = 0
    for r in requests:
        if r["version"] == "stable":
            arm = 0
        elif r["version"] == "canary":
            arm = 1
        else:
            ignored += 1
            continue
        start = int(r["ts"] // width) * width
        buckets.setdefault(start, ([], []))[arm].append((r["status"], r["latency_ms"]))
    at = 0
    decision = "in_progress"
    windows = []
    for start in sorted(buckets):
        stable, canary = buckets[start]
        s = summarize(stable)
        c = summarize(canary)
        if min(s[0], c[0]) < policy["min_requests"]:
            action, reasons = "hold", ["too_few_requests"]
        else:
            reasons = []
            if c[2] > s[2] + policy["max_error_rate_increase"]:
                reasons.append("error_rate")
            if c[3] > policy["max_p95_ratio"] * s[3]:
                reasons.append("p95")
            action = "rollback" if reasons else "promote"
        windows.append({
            "window_start": start, "share": steps[at],
            "canary_requests": c[0], "stable_requests": s[0],
            "canary_errors": c[1], "stable_errors": s[1],
            "canary_error_rate": None if c[2] is None else round(c[2], 4),
            "stable_error_rate": None if s[2] is None else round(s[2], 4),
            "canary_p95_ms": c[3], "stable_p95_ms": s[3],
            "action": action, "reasons": reasons,
        })
        if action == "rollback":
            decision = "rolled_back"
            break
        if action == "promote":
            at += 1
            if at == len(steps) - 1:
                decision = "promoted"
                break
    final = 100 if decision == "promoted" else 0 if decision == "rolled_back" else steps[at]
    return {"decision": decision, "final_share": final, "ignored_requests": ignored,
            "windows": windows}


def robust(requests, policy):
    """True when the decisions do not hinge on how the comparisons are written: the usual
    alternative formulations give the same verdict in every window."""
    width = policy["window_s"]
    buckets = {}
    for r in requests:
        if r["version"] in ("stable", "canary"):
            buckets.setdefault(int(r["ts"] // width) * width, {"stable": [], "canary": []})[
                r["version"]].append((r["status"], r["latency_ms"]))
    inc, ratio = policy["max_error_rate_increase"], policy["max_p95_ratio"]
    for arms in buckets.values():
        s, c = summarize(arms["stable"]), summarize(arms["canary"])
        if not s[0] or not c[0]:
            continue
        err = {c[2] > s[2] + inc, c[2] - s[2] > inc, c[1] * s[0] - s[1] * c[0] > inc * c[0] * s[0]}
        slow = {c[3] > ratio * s[3], c[3] / s[3] > ratio}
        if len(err) > 1 or len(slow) > 1:
            return False
    return True


# ---- synthetic traffic -----------------------------------------------------------------------

def requests_for_window(rng, start, width, share, total, cfg):
    """total requests spread over one window; each is canary with probability share/100."""
    out = []
    for _ in range(total):
        canary = rng.random() * 100 < share
        arm = "canary" if canary else "stable"
        err_p = cfg["canary_err"] if canary else cfg["stable_err"]
        scale = cfg["canary_slow"] if canary else 1.0
        status = rng.choice([500, 502, 503]) if rng.random() < err_p else rng.choice([200, 200, 200, 201])
        latency = round(rng.lognormvariate(math.log(cfg["median_ms"] * scale), cfg["sigma"]), 1)
        ts = round(start + rng.uniform(0, width - 0.001), 3)
        out.append({"ts": ts, "version": arm, "status": status, "latency_ms": latency})
        if rng.random() < cfg.get("shadow", 0.0):
            out.append({"ts": round(ts + 0.0005, 3), "version": "shadow", "status": 200,
                        "latency_ms": round(latency * rng.uniform(0.8, 1.6), 1)})
    return out


def simulate(rng, policy, t0, scenario, max_windows=12, extra_windows=2):
    """Simulate a rollout. scenario(window_index, step_index) returns (total, cfg) for a window.
    After the controller decides, `extra_windows` more windows are written at the final share
    (they must not be evaluated)."""
    width = policy["window_s"]
    requests = []
    extra = None
    for w in range(max_windows):
        report = reference(requests, policy)
        decided = report["decision"] != "in_progress"
        if decided:
            extra = extra_windows if extra is None else extra
            if extra == 0:
                break
            extra -= 1
        step = len([x for x in report["windows"] if x["action"] == "promote"])
        share = report["final_share"] if decided else policy["steps"][step]
        total, cfg = scenario(w, min(step, len(policy["steps"]) - 1))
        requests += requests_for_window(rng, t0 + w * width, width, share, total, cfg)
    return requests


def shuffle_some(rng, requests, moves):
    """Sort by time, then move a few requests to a later place in the file (late log lines)."""
    lines = sorted(requests, key=lambda r: r["ts"])
    for _ in range(moves):
        i = rng.randrange(len(lines))
        j = rng.randrange(i, len(lines))
        lines.insert(j, lines.pop(i))
    return lines


def to_jsonl(requests, blank_every=0):
    out = []
    for i, r in enumerate(requests):
        out.append(json.dumps(r))
        if blank_every and i % blank_every == blank_every - 1:
            out.append("")
    return "\n".join(out) + "\n"
