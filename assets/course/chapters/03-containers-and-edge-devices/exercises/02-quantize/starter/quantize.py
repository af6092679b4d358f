#!/usr/bin/env python3
"""quantize.py: 8-bit quantization of a model's weight tensors, one scale per tensor.

Usage:
    python3 quantize.py WEIGHTS.json --scheme sym-int8|asym-int8|asym-uint8 [--range LO HI]

WEIGHTS.json is {"tensors": {"name": [numbers, ...], ...}}. Prints a JSON report with every
tensor's scale, zero point, 8-bit values, clipped count and largest reconstruction error, and
the sizes in float32 and in 8 bits. Exits with status 2 when the input is unusable. README.md
has the formulas.
"""
import argparse
import json
import math
import sys

SCHEMES = {
    # name: (qmin, qmax, symmetric)
    "sym-int8": (-127, 127, True),
    "asym-int8": (-128, 127, False),
    "asym-uint8": (0, 255, False),
}


class InputError(Exception):
    """The input cannot be quantized; main() prints it and exits with status 2."""


def round_half_away(x):
    """Round to the nearest integer, halves away from zero (C's round(), not Python's round()).

    TODO: 2.5 -> 3, -2.5 -> -3, 2.4 -> 2, -0.5 -> -1. Return an int.
    """
    raise NotImplementedError("round_half_away")


def qparams(lo, hi, scheme):
    """(scale, zero_point) for the real range [lo, hi], widened to hold 0.

    TODO: qmin, qmax, symmetric = SCHEMES[scheme]. Widen: lo = min(lo, 0.0), hi = max(hi, 0.0).
    Symmetric: scale = max(-lo, hi) / qmax and zero_point = 0. Asymmetric:
    scale = (hi - lo) / (qmax - qmin) and zero_point = round_half_away(qmin - lo / scale),
    clamped to [qmin, qmax]. When the scale comes out 0 (every value is 0), use 1.0.
    """
    raise NotImplementedError("qparams")


def quantize(values, scale, zero_point, scheme):
    """Return (q, clipped): the 8-bit values and how many had to be clamped into range.

    TODO: q = round_half_away(v / scale) + zero_point, clamped to [qmin, qmax]; count the values
    that needed clamping.
    """
    raise NotImplementedError("quantize")


def dequantize(q, scale, zero_point):
    """TODO: the real values the 8-bit values stand for: (q - zero_point) * scale."""
    raise NotImplementedError("dequantize")


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def load_tensors(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}")
    except ValueError as err:
        raise InputError(f"{path} is not valid JSON: {err}")
    tensors = doc.get("tensors") if isinstance(doc, dict) else None
    if not isinstance(tensors, dict) or not tensors:
        raise InputError(f'{path}: expected {{"tensors": {{"name": [numbers, ...]}}}}')
    for name, values in tensors.items():
        if not isinstance(values, list) or not values:
            raise InputError(f"tensor {name!r} must be a non-empty list of numbers")
        bad = next((v for v in values if not is_number(v)), None)
        if bad is not None or any(not is_number(v) for v in values):
            raise InputError(f"tensor {name!r} holds {bad!r}, which is not a finite number")
    return tensors


def build_report(tensors, scheme, calib=None):
    qmin, qmax, _ = SCHEMES[scheme]
    out, params = {}, 0
    for name, values in tensors.items():
        lo, hi = calib if calib else (min(values), max(values))
        scale, zero_point = qparams(lo, hi, scheme)
        q, clipped = quantize(values, scale, zero_point, scheme)
        restored = dequantize(q, scale, zero_point)
        out[name] = {
            "n": len(values),
            "scale": scale,
            "zero_point": zero_point,
            "q": q,
            "clipped": clipped,
            "max_abs_error": max(abs(v - r) for v, r in zip(values, restored)),
        }
        params += len(values)
    return {
        "scheme": scheme,
        "qmin": qmin,
        "qmax": qmax,
        "tensors": out,
        "params": params,
        "float32_bytes": 4 * params,
        "int8_bytes": params,
        "size_ratio": 4 * params / params,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description="Quantize weight tensors to 8 bits.")
    parser.add_argument("weights", help='a JSON file: {"tensors": {"name": [numbers]}}')
    parser.add_argument("--scheme", required=True, choices=sorted(SCHEMES))
    parser.add_argument("--range", nargs=2, type=float, metavar=("LO", "HI"),
                        help="a calibrated range to use for every tensor instead of its own")
    args = parser.parse_args(argv)
    if args.range and not (math.isfinite(args.range[0]) and math.isfinite(args.range[1])
                           and args.range[0] < args.range[1]):
        parser.error("--range needs two finite numbers with LO < HI")
    try:
        report = build_report(load_tensors(args.weights), args.scheme, args.range)
    except InputError as err:
        print(f"quantize.py: {err}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
