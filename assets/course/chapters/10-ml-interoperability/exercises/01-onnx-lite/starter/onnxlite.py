#!/usr/bin/env python3
"""onnxlite.py: check and run models in the ONNX-lite format (FORMAT.md).

Usage:
    python3 onnxlite.py check MODEL.json
    python3 onnxlite.py run MODEL.json INPUTS.json

check exits 0 for a valid model, else with the code of the first problem (FORMAT.md) and a
message on stderr. run checks first, then prints {"output name": tensor, ...} as JSON; an
inputs file that does not fit the model's inputs exits 4.

Reading a model and its structure (code 3), the inputs file (code 4) and the command line
are done. validate(), output_shape(), the operators and run_graph() are yours.
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


def output_shape(op, shapes):
    """The shape a node of type op produces from its inputs' shapes, or None when they do
    not fit (FORMAT.md, "Shapes"). Dimensions are integers or None (the batch dimension).

    TODO
    """
    raise NotImplementedError("output_shape")


def validate(model):
    """Raise ModelError(code, message) for the first problem, in the order FORMAT.md gives.

    load_model() has already checked the structure (code 3). TODO: walk the nodes in order,
    keeping a dict name -> shape of everything defined so far (graph inputs and initializers
    to begin with), and check each node for codes 10, 11, 14 (arity), 12 or 13, then 14
    (shapes); then check the graph outputs (15). For now every model passes.
    """
    return {}


# ---- the runtime ------------------------------------------------------------------------
# TODO: one function per operator. Tensors are lists of rows (lists of floats); a 1-D
# initializer is a plain list. Mind that math.exp() raises OverflowError above about 709.

OPS = {}


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
    """Evaluate the nodes in order; return {output name: tensor}.

    TODO: start from the initializers and the feeds, then compute each node's output from
    the values it names, with OPS.
    """
    check_feeds(model, feeds)
    raise NotImplementedError("run_graph")


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
