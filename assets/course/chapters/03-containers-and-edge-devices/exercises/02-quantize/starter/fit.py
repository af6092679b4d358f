#!/usr/bin/env python3
"""fit.py: does a model's weights fit a device's memory, as float32 or as int8?

Usage:
    python3 fit.py --params N --device-mb M [--reserve-mb R]

Prints a JSON report and exits 0 when some format fits, 1 when none does, 2 on bad arguments.
MB means 1,000,000 bytes. README.md has the rules.
"""
import argparse
import json
import math
import sys

BYTES = {"float32": 4, "int8": 1}


def size_mb(params, fmt):
    return params * BYTES[fmt] / 1_000_000


def plan(params, device_mb, reserve_mb=0.0):
    """The report as a dict.

    TODO: available_mb = device_mb - reserve_mb; float32_mb and int8_mb with size_mb(); each
    format fits when its size is at most available_mb; choice is "float32" when it fits, else
    "int8" when it fits, else None.
    """
    raise NotImplementedError("plan")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check whether a model's weights fit a device.")
    parser.add_argument("--params", type=int, required=True, help="number of parameters")
    parser.add_argument("--device-mb", type=float, required=True, help="memory for the model, in MB")
    parser.add_argument("--reserve-mb", type=float, default=0.0,
                        help="memory kept back for the runtime and activations, in MB")
    args = parser.parse_args(argv)
    if args.params < 1:
        parser.error("--params must be at least 1")
    if not (math.isfinite(args.device_mb) and args.device_mb > 0):
        parser.error("--device-mb must be a positive number")
    if not (math.isfinite(args.reserve_mb) and 0 <= args.reserve_mb < args.device_mb):
        parser.error("--reserve-mb must be at least 0 and less than --device-mb")
    report = plan(args.params, args.device_mb, args.reserve_mb)
    print(json.dumps(report, indent=2))
    return 0 if report["choice"] else 1


if __name__ == "__main__":
    sys.exit(main())
