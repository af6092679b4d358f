"""Model builders, planted breakages and a reference checker and runtime for ONNX-lite.

generate.py uses the builders and breakages; check_onnxlite.py uses the reference.
"""
import copy
import math

SINCE = {"MatMul": 1, "Add": 1, "Relu": 1, "Sigmoid": 1, "Softmax": 2}
ARITY = {"MatMul": 2, "Add": 2, "Relu": 1, "Sigmoid": 1, "Softmax": 1}


# ---- builders ----------------------------------------------------------------------------

def weights(rng, rows, cols):
    return [[round(rng.uniform(-1.2, 1.2), 5) for _ in range(cols)] for _ in range(rows)]


def vector(rng, n):
    return [round(rng.uniform(-0.8, 0.8), 5) for _ in range(n)]


def base(opset, k, producer="framework-a"):
    return {"format_version": 1, "opset": opset, "producer": {"name": producer, "version": "0.3.1"},
            "inputs": [{"name": "x", "shape": [None, k]}], "initializers": {}, "nodes": [], "outputs": []}


def node(op, inputs, output):
    return {"op": op, "inputs": inputs, "output": output}


def logistic(rng):
    k = rng.randint(3, 8)
    m = base(rng.choice([1, 2]), k)
    m["initializers"] = {"W": weights(rng, k, 1), "b": vector(rng, 1)}
    m["nodes"] = [node("MatMul", ["x", "W"], "xw"), node("Add", ["xw", "b"], "z"), node("Sigmoid", ["z"], "p")]
    m["outputs"] = ["p"]
    return m


def mlp(rng):
    k, h, c = rng.randint(3, 6), rng.randint(3, 7), rng.randint(2, 5)
    m = base(2, k, producer="framework-b")
    m["initializers"] = {"W1": weights(rng, k, h), "b1": vector(rng, h), "W2": weights(rng, h, c),
                         "b2": vector(rng, c), "unused_scale": vector(rng, 2)}
    m["nodes"] = [node("MatMul", ["x", "W1"], "h0"), node("Add", ["h0", "b1"], "h1"), node("Relu", ["h1"], "h"),
                  node("MatMul", ["h", "W2"], "l0"), node("Add", ["l0", "b2"], "logits"),
                  node("Softmax", ["logits"], "probs")]
    m["outputs"] = ["probs"]
    return m


def residual(rng):
    """A skip connection: Relu(x W1 + b1) + x, a 2-D plus 2-D Add with batch dimensions."""
    k = rng.randint(3, 6)
    m = base(1, k)
    m["initializers"] = {"W1": weights(rng, k, k), "b1": vector(rng, k), "W2": weights(rng, k, 1),
                         "b2": vector(rng, 1)}
    m["nodes"] = [node("MatMul", ["x", "W1"], "a"), node("Add", ["a", "b1"], "b"), node("Relu", ["b"], "r"),
                  node("Add", ["r", "x"], "skip"), node("MatMul", ["skip", "W2"], "s"),
                  node("Add", ["s", "b2"], "z"), node("Sigmoid", ["z"], "p")]
    m["outputs"] = ["p", "skip"]
    return m


def rows(rng, k, n, scale=2.0):
    return [[round(rng.gauss(0, scale), 4) for _ in range(k)] for _ in range(n)]


def extreme_rows(rng, k):
    """Rows whose scores are huge, so that exp() of them overflows unless computed stably."""
    big = []
    for sign in (1, -1):
        big.append([sign * round(rng.uniform(400, 900), 1) for _ in range(k)])
        big.append([sign * round(rng.uniform(400, 900), 1) * (1 if i % 2 else -1) for i in range(k)])
    return big


# ---- breakages: each returns (model, code), with exactly one first problem ---------------

def break_unknown_op(rng, m):
    m = copy.deepcopy(m)
    i = rng.randrange(len(m["nodes"]))
    m["nodes"][i]["op"] = rng.choice(["Gelu", "Tanh", "Conv", "Softplus", "matmul", "LayerNorm"])
    return m, 10


def break_opset(rng, m):
    m = copy.deepcopy(m)
    if any(n["op"] == "Softmax" for n in m["nodes"]):
        m["opset"] = 1
    else:
        m["opset"] = 1
        m["nodes"][-1]["op"] = "Softmax"
    return m, 11


def break_dangling(rng, m):
    m = copy.deepcopy(m)
    i = rng.randrange(len(m["nodes"]))
    j = rng.randrange(len(m["nodes"][i]["inputs"]))
    m["nodes"][i]["inputs"][j] = m["nodes"][i]["inputs"][j] + rng.choice(["_", "2", "_old", "'"])
    return m, 12


def break_order(rng, m):
    m = copy.deepcopy(m)
    # a node that reads the previous node's output, moved in front of it
    pairs = [i for i in range(len(m["nodes"]) - 1) if m["nodes"][i]["output"] in m["nodes"][i + 1]["inputs"]]
    i = rng.choice(pairs)
    m["nodes"][i], m["nodes"][i + 1] = m["nodes"][i + 1], m["nodes"][i]
    return m, 13


def break_shape(rng, m):
    m = copy.deepcopy(m)
    kind = rng.choice(["rows", "bias", "arity"])
    inits = m["initializers"]
    if kind == "rows":
        name = rng.choice([n for n in inits if n.startswith("W")])
        inits[name] = inits[name] + [vector(rng, len(inits[name][0]))]
    elif kind == "bias":
        name = rng.choice([n for n in inits if n.startswith("b")])
        inits[name] = inits[name] + [0.5]
    else:
        i = next(i for i, n in enumerate(m["nodes"]) if n["op"] in ("Relu", "Sigmoid", "Softmax"))
        m["nodes"][i]["inputs"] = m["nodes"][i]["inputs"] + ["x"]
    return m, 14


def break_output(rng, m):
    m = copy.deepcopy(m)
    m["outputs"] = m["outputs"] + [rng.choice(["score", "label", "probability", "y_hat"])]
    return m, 15


def break_two_first_wins(rng, m):
    """Two problems: a renamed op early and a missing output at the end; the op comes first."""
    m, _ = break_output(rng, m)
    m["nodes"][0]["op"] = "Gemm"
    return m, 10


def break_two_order_first(rng, m):
    """An out-of-order node, and a shape problem in a later node: 13 comes first."""
    m = copy.deepcopy(m)
    m["nodes"][0], m["nodes"][1] = m["nodes"][1], m["nodes"][0]
    last = m["nodes"][-1]
    last["inputs"] = last["inputs"] + ["x"] if len(last["inputs"]) == 1 else last["inputs"][:1]
    return m, 13


# ---- the reference --------------------------------------------------------------------------

def tensor_shape(value):
    if isinstance(value, list) and value and all(isinstance(v, (int, float)) for v in value):
        return [len(value)]
    return [len(value), len(value[0])]


def first_problem(m):
    """The exit code of the first problem of a structurally sound model (0 when valid)."""
    shapes = {i["name"]: i["shape"] for i in m["inputs"]}
    shapes.update({k: tensor_shape(v) for k, v in m["initializers"].items()})
    later = {n["output"] for n in m["nodes"]}
    for n in m["nodes"]:
        op = n["op"]
        if op not in SINCE:
            return 10
        if SINCE[op] > m["opset"]:
            return 11
        if len(n["inputs"]) != ARITY[op]:
            return 14
        for name in n["inputs"]:
            if name not in shapes:
                return 13 if name in later else 12
        s = [shapes[name] for name in n["inputs"]]
        if op == "MatMul":
            out = [s[0][0], s[1][1]] if len(s[0]) == 2 and len(s[1]) == 2 and s[0][1] == s[1][0] else None
        elif op == "Add":
            ok = len(s[0]) == 2 and ((len(s[1]) == 1 and s[1][0] == s[0][1]) or s[1] == s[0])
            out = s[0] if ok else None
        elif op == "Softmax":
            out = s[0] if len(s[0]) == 2 else None
        else:
            out = s[0]
        if out is None:
            return 14
        shapes[n["output"]] = out
    for name in m["outputs"]:
        if name not in shapes:
            return 15
    return 0


def stable_sigmoid(v):
    return 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))


def evaluate(m, feeds):
    vals = dict(m["initializers"])
    vals.update(feeds)
    for n in m["nodes"]:
        a = [vals[x] for x in n["inputs"]]
        op = n["op"]
        if op == "MatMul":
            out = [[math.fsum(x * w for x, w in zip(r, c)) for c in zip(*a[1])] for r in a[0]]
        elif op == "Add":
            b = a[1]
            out = [[x + y for x, y in zip(r, b[i] if isinstance(b[0], list) else b)] for i, r in enumerate(a[0])]
        elif op == "Relu":
            out = [[max(0.0, x) for x in r] for r in a[0]]
        elif op == "Sigmoid":
            out = [[stable_sigmoid(x) for x in r] for r in a[0]]
        else:
            out = []
            for r in a[0]:
                e = [math.exp(x - max(r)) for x in r]
                out.append([x / math.fsum(e) for x in e])
        vals[n["output"]] = out
    return {name: vals[name] for name in m["outputs"]}
