"""Write this attempt's hidden model directories and runtime lists into $KAIZEN_GEN.

models/      a matrix with planted edge cases, one model that no runtime can take (exit 1)
models_ok/   three models that all have a runtime (exit 0)
models_bad/  one model file that is not JSON (exit 2)
"""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
ALL_OPS = ["MatMul", "Add", "Relu", "Sigmoid", "Softmax"]


def numbers(n):
    return [round(rng.uniform(-1, 1), 4) for _ in range(n)]


def model(opset, head, params, precision=None, hidden=True):
    """An ONNX-lite model with exactly `params` numbers in its initializers."""
    k, h, c = rng.randint(3, 8), rng.randint(3, 8), 1 if head == "Sigmoid" else rng.randint(2, 4)
    inits = {"W1": [numbers(h) for _ in range(k)], "b1": numbers(h)}
    nodes = [{"op": "MatMul", "inputs": ["x", "W1"], "output": "a"},
             {"op": "Add", "inputs": ["a", "b1"], "output": "z1"}]
    last, width = "z1", h
    if hidden:
        inits["W2"] = [numbers(c) for _ in range(h)]
        inits["b2"] = numbers(c)
        nodes += [{"op": "Relu", "inputs": ["z1"], "output": "r"},
                  {"op": "MatMul", "inputs": ["r", "W2"], "output": "s"},
                  {"op": "Add", "inputs": ["s", "b2"], "output": "z2"}]
        last, width = "z2", c
    if head:
        nodes.append({"op": head, "inputs": [last], "output": "out"})
        last = "out"
    used = sum(len(v) * (len(v[0]) if isinstance(v[0], list) else 1) for v in inits.values())
    if params < used:
        raise SystemExit("generate.py: params too small for the graph")
    if params > used:
        inits["calibration"] = numbers(params - used)  # unused by the nodes, but shipped and counted
    m = {"format_version": 1, "opset": opset, "inputs": [{"name": "x", "shape": [None, k]}],
         "initializers": inits, "nodes": nodes, "outputs": [last]}
    if precision is not None:
        m["precision"] = precision
    return m


def extra_softmax_sigmoid(m):
    """Give a model both Sigmoid and Softmax (two heads), for the runtimes that lack either."""
    m["nodes"].append({"op": "Sigmoid", "inputs": ["z1"], "output": "gate"})
    m["outputs"].append("gate")
    return m


def write_dir(name, models, junk=False):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    for stem, m in models.items():
        with open(os.path.join(folder, stem + ".json"), "w") as f:
            json.dump(m, f, indent=rng.choice([None, 1]))
    if junk:
        with open(os.path.join(folder, "NOTES.md"), "w") as f:
            f.write("# conversion notes\nnot a model\n")
        with open(os.path.join(folder, "export.log"), "w") as f:
            f.write("exported 5 models\n")
        os.makedirs(os.path.join(folder, "archive"), exist_ok=True)
        with open(os.path.join(folder, "archive", "old.json"), "w") as f:
            json.dump(model(1, "Sigmoid", 200), f)


# ---- runtimes ---------------------------------------------------------------------------
lim_mcu = rng.randint(1, 2)               # KB
lim_mobile = rng.randint(3, 6)
lim_kiosk = rng.randint(8, 12)
word = lambda pool: f"{rng.choice(pool)}-{rng.randint(2, 9)}"  # noqa: E731
runtimes = [
    {"name": word(["onnxruntime-cpu", "ort-server", "triton-onnx"]), "min_opset": 1, "max_opset": 2,
     "ops": list(ALL_OPS), "max_size_kb": None, "precisions": ["float32", "float16"]},
    {"name": word(["kiosk", "legacy-ort", "pos-terminal"]), "min_opset": 1, "max_opset": 1,
     "ops": ["MatMul", "Add", "Relu", "Sigmoid"], "max_size_kb": lim_kiosk, "precisions": ["float32"]},
    {"name": word(["mcu", "sensor-rt", "tinyml"]), "min_opset": 1, "max_opset": 2,
     "ops": ["MatMul", "Add", "Relu"], "max_size_kb": lim_mcu, "precisions": ["int8"]},
    {"name": word(["mobile", "phone-npu", "edge-gpu"]), "min_opset": 2, "max_opset": 2,
     "ops": list(ALL_OPS), "max_size_kb": lim_mobile, "precisions": ["float16", "int8"]},
]
for r in runtimes:
    r["ops"] = rng.sample(r["ops"], len(r["ops"]))  # order in the file does not matter
rng.shuffle(runtimes)

# ---- models -----------------------------------------------------------------------------
stem = lambda base: f"{base}_{rng.randint(10, 99)}"  # noqa: E731
fits = stem("sensor")
over = stem("sensor_plus")
main_models = {
    # exactly at the microcontroller's size limit: fits (at most, not less than)
    fits: model(1, None, lim_mcu * 1000, "int8"),
    # one parameter more: too big for it, and every other runtime refuses it too
    over: model(1, None, lim_mcu * 1000 + 1, "int8"),
    # no precision field: float32; opset 1 is exactly the kiosk's maximum
    stem("churn"): model(1, "Sigmoid", rng.randint(120, 200)),
    # float16 with Softmax, small enough for the phone
    stem("intent"): model(2, "Softmax", rng.randint(300, lim_mobile * 500), "float16"),
    # fails the kiosk for all four reasons
    stem("ranker"): extra_softmax_sigmoid(model(2, "Softmax", lim_kiosk * 500 + rng.randint(1, 300), "float16")),
    # float32, too big for the phone and the kiosk: only the server takes it
    stem("vision"): model(2, "Softmax", lim_kiosk * 250 + rng.randint(10, 500)),
}
ok_models = {stem("churn"): model(1, "Sigmoid", rng.randint(120, 200)),
             stem("intent"): model(2, "Softmax", rng.randint(300, lim_mobile * 500), "float16"),
             stem("sensor"): model(2, "Relu", rng.randint(150, lim_mcu * 1000), "int8")}

os.makedirs(out, exist_ok=True)
write_dir("models", main_models, junk=True)
write_dir("models_ok", ok_models)
write_dir("models_bad", {stem("churn"): model(1, "Sigmoid", 160)})
with open(os.path.join(out, "models_bad", stem("broken") + ".json"), "w") as f:
    f.write('{"format_version": 1, "opset": 1, "nodes": [')
with open(os.path.join(out, "runtimes.json"), "w") as f:
    json.dump(runtimes, f, indent=1)
with open(os.path.join(out, "facts.json"), "w") as f:
    json.dump({"fits": fits, "over": over}, f)
