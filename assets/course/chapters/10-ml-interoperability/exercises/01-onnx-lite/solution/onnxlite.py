#!/usr/bin/env python3
"""onnxlite.py: check and run models in the ONNX-lite format (FORMAT.md).

Usage:
    python3 onnxlite.py check MODEL.json
    python3 onnxlite.py run MODEL.json INPUTS.json

check exits 0 for a valid model, else with the code of the first problem (FORMAT.md) and a
message on stderr. run checks first, then prints {"output name": tensor, ...} as JSON; an
inputs file that does not fit the model's inputs exits 4.
"""
import argparse
import json
import math
import sys

MALFORMED, BAD_INPUTS = 3, 4
UNKNOWN_OP, NOT_IN_OPSET, DANGLING, NOT_TOPOLOGICAL, SHAPE, MISSING_OUTPUT = 10, 11, 12, 13, 14, 15
SINCE = {"MatMul": 1, "Add": 1, "Relu": 1, "Sigmoid": 1, "Softmax": 2}
ARITY = {"MatMul": 2, "Add": 2, "Relu": 1, "Sigmoid": 1, "Softmax": 1}


class ModelError(Exception):
    """A problem with the model or the inputs; .code is the exit status."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def tensor_shape(value):
    """The shape of a 1-D or 2-D list of numbers, or None if it is neither."""
    if isinstance(value, list) and value and all(is_number(v) for v in value):
        return [len(value)]
    if (isinstance(value, list) and value and all(isinstance(r, list) and r for r in value)
            and len({len(r) for r in value}) == 1 and all(is_number(v) for r in value for v in r)):
        return [len(value), len(value[0])]
    return None


def load_model(path):
    """Read a model and check its structure (FORMAT.md step 1); raise ModelError(3)."""
    def bad(msg):
        raise ModelError(MALFORMED, msg)

    try:
        with open(path, encoding="utf-8") as f:
            model = json.load(f)
    except OSError as err:
        bad(f"cannot read {path}: {err.strerror}")
    except ValueError as err:
        bad(f"{path} is not valid JSON: {err}")
    if not isinstance(model, dict):
        bad("a model is a JSON object")
    if model.get("format_version") != 1 or isinstance(model.get("format_version"), bool):
        bad("format_version must be 1")
    if model.get("opset") not in (1, 2) or isinstance(model.get("opset"), bool):
        bad("opset must be 1 or 2")
    inputs, inits = model.get("inputs"), model.get("initializers")
    nodes, outputs = model.get("nodes"), model.get("outputs")
    if not isinstance(inputs, list) or not inputs:
        bad("inputs must be a non-empty list")
    for i in inputs:
        shape = i.get("shape") if isinstance(i, dict) else None
        if (not isinstance(i, dict) or not isinstance(i.get("name"), str) or not isinstance(shape, list)
                or len(shape) != 2
                or not all(d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0) for d in shape)):
            bad("each input needs a name and a 2-D shape of positive integers or null")
    if not isinstance(inits, dict):
        bad("initializers must be an object")
    for name, value in inits.items():
        if tensor_shape(value) is None:
            bad(f"initializer {name} is not a 1-D or 2-D list of numbers")
    if not isinstance(nodes, list):
        bad("nodes must be a list")
    for n in nodes:
        if (not isinstance(n, dict) or not isinstance(n.get("op"), str) or not isinstance(n.get("output"), str)
                or not isinstance(n.get("inputs"), list) or not all(isinstance(x, str) for x in n["inputs"])):
            bad("each node needs an op, a list of input names and an output name")
    if not isinstance(outputs, list) or not outputs or not all(isinstance(o, str) for o in outputs):
        bad("outputs must be a non-empty list of names")
    names = [i["name"] for i in inputs] + list(inits) + [n["output"] for n in nodes]
    seen = set()
    for name in names:
        if name in seen:
            bad(f"the name {name} is defined twice")
        seen.add(name)
    return model


def agree(a, b):
    return a == b  # equal integers, or both None


def output_shape(op, shapes):
    """The shape a node produces from its inputs' shapes, or None when they do not fit."""
    if op == "MatMul":
        a, b = shapes
        if len(a) == 2 and len(b) == 2 and agree(a[1], b[0]):
            return [a[0], b[1]]
        return None
    if op == "Add":
        a, b = shapes
        if len(a) != 2:
            return None
        if (len(b) == 1 and agree(b[0], a[1])) or (len(b) == 2 and agree(a[0], b[0]) and agree(a[1], b[1])):
            return list(a)
        return None
    if op == "Softmax":
        return list(shapes[0]) if len(shapes[0]) == 2 else None
    return list(shapes[0])  # Relu, Sigmoid


def validate(model):
    """Raise ModelError for the first problem, in the order FORMAT.md gives."""
    shapes = {i["name"]: i["shape"] for i in model["inputs"]}
    shapes.update({name: tensor_shape(v) for name, v in model["initializers"].items()})
    later = {n["output"] for n in model["nodes"]}
    for index, node in enumerate(model["nodes"]):
        op, where = node["op"], f"node {index} ({node['op']} -> {node['output']})"
        if op not in SINCE:
            raise ModelError(UNKNOWN_OP, f"{where}: unknown operator {op}")
        if SINCE[op] > model["opset"]:
            raise ModelError(NOT_IN_OPSET, f"{where}: {op} needs opset {SINCE[op]}, the model declares "
                                           f"{model['opset']}")
        if len(node["inputs"]) != ARITY[op]:
            raise ModelError(SHAPE, f"{where}: {op} takes {ARITY[op]} input(s), got {len(node['inputs'])}")
        for name in node["inputs"]:
            if name not in shapes:
                if name in later:
                    raise ModelError(NOT_TOPOLOGICAL, f"{where}: reads {name}, which a later node writes")
                raise ModelError(DANGLING, f"{where}: reads {name}, which nothing defines")
        result = output_shape(op, [shapes[name] for name in node["inputs"]])
        if result is None:
            got = ", ".join(f"{name} {shapes[name]}" for name in node["inputs"])
            raise ModelError(SHAPE, f"{where}: the input shapes do not fit: {got}")
        shapes[node["output"]] = result
    for name in model["outputs"]:
        if name not in shapes:
            raise ModelError(MISSING_OUTPUT, f"output {name} is not defined by any input, initializer or node")
    return shapes


# ---- the runtime ------------------------------------------------------------------------

def sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # never overflows for x < 0
    return e / (1.0 + e)


def elementwise(fn, t):
    if t and isinstance(t[0], list):
        return [[fn(v) for v in row] for row in t]
    return [fn(v) for v in t]


def matmul(a, b):
    cols = list(zip(*b))
    return [[math.fsum(x * w for x, w in zip(row, col)) for col in cols] for row in a]


def add(a, b):
    if isinstance(b[0], list):
        return [[x + y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]
    return [[x + y for x, y in zip(row, b)] for row in a]


def softmax(a):
    out = []
    for row in a:
        top = max(row)
        exps = [math.exp(v - top) for v in row]  # shifting by the max keeps exp() finite
        total = math.fsum(exps)
        out.append([e / total for e in exps])
    return out


OPS = {
    "MatMul": matmul,
    "Add": add,
    "Relu": lambda a: elementwise(lambda v: max(0.0, v), a),
    "Sigmoid": lambda a: elementwise(sigmoid, a),
    "Softmax": softmax,
}


def check_feeds(model, feeds):
    if not isinstance(feeds, dict):
        raise ModelError(BAD_INPUTS, "the inputs file must hold a JSON object")
    for spec in model["inputs"]:
        value = feeds.get(spec["name"])
        shape = tensor_shape(value)
        if shape is None or len(shape) != 2:
            raise ModelError(BAD_INPUTS, f"input {spec['name']} must be a 2-D list of numbers")
        rows, cols = spec["shape"]
        if cols is not None and shape[1] != cols or rows is not None and shape[0] != rows:
            raise ModelError(BAD_INPUTS, f"input {spec['name']} has shape {shape}, the model declares {spec['shape']}")


def run_graph(model, feeds):
    """Evaluate the nodes in order; return {output name: tensor}."""
    check_feeds(model, feeds)
    values = dict(model["initializers"])
    values.update({spec["name"]: feeds[spec["name"]] for spec in model["inputs"]})
    for node in model["nodes"]:
        values[node["output"]] = OPS[node["op"]](*[values[name] for name in node["inputs"]])
    return {name: values[name] for name in model["outputs"]}


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check and run ONNX-lite models.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="validate a model")
    p.add_argument("model")
    p = sub.add_parser("run", help="validate, then evaluate a model")
    p.add_argument("model")
    p.add_argument("inputs")
    args = parser.parse_args(argv)
    try:
        model = load_model(args.model)
        validate(model)
        if args.command == "check":
            print(f"{args.model}: ok")
            return 0
        try:
            with open(args.inputs, encoding="utf-8") as f:
                feeds = json.load(f)
        except (OSError, ValueError) as err:
            raise ModelError(BAD_INPUTS, f"cannot read {args.inputs}: {err}") from None
        print(json.dumps(run_graph(model, feeds)))
        return 0
    except ModelError as err:
        print(f"onnxlite.py: error {err.code}: {err}", file=sys.stderr)
        return err.code


if __name__ == "__main__":
    sys.exit(main())
