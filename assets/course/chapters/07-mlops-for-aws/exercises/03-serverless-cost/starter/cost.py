#!/usr/bin/env python3
"""cost.py: a month of Lambda usage, priced two ways. What did the functions cost, what would
always-on containers cost, and at how many requests a month do the two meet?

Usage:
    python3 cost.py USAGE.csv PRICES.json [--tasks 2] [--vcpu 0.5] [--memory-gb 1]

Prints a JSON report on stdout. Exit status 0, or 2 when an input is unusable. README.md has the
full rules. The prices come from PRICES.json: nothing in this file knows what AWS charges.
"""
import argparse
import csv
import json
import math
import sys

COLUMNS = ("function", "memory_mb", "duration_ms", "requests")
PRICE_KEYS = {
    "lambda": ("request_price_per_million", "gb_second_price", "free_requests_per_month",
               "free_gb_seconds_per_month"),
    "container": ("vcpu_hour_price", "gb_hour_price", "hours_per_month"),
}
MAX_DURATION_MS = 900_000  # Lambda stops an invocation after 15 minutes


class InputError(Exception):
    """An input file cannot be used; the message says why."""


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def validate_prices(prices):
    """Raise ValueError, with a message that says what is wrong, for an unusable price file.

    TODO: prices is an object; for every section and key of PRICE_KEYS, prices[section] is an
    object and prices[section][key] a number (is_number(): true is not one, nor is "0.20").
    The free_* allowances may be 0 or more; every other value must be greater than 0.
    """


def parse_row(row, line):
    """Turn one CSV row (a dict of strings) into (function, memory_mb, duration_ms, requests)."""
    where = f"line {line}"
    function = (row.get("function") or "").strip()
    if not function:
        raise ValueError(f"{where}: the function name is empty")
    try:
        memory = int(row["memory_mb"])
        duration = float(row["duration_ms"])
        requests = int(row["requests"])
    except (TypeError, ValueError):
        raise ValueError(f"{where}: memory_mb and requests must be whole numbers and "
                         "duration_ms a number") from None
    # TODO: raise ValueError (starting with `where`) when memory is below 128 (Lambda's minimum),
    # when duration is not finite, not above 0 or above MAX_DURATION_MS, and when requests is
    # negative.
    return function, memory, duration, requests


def billed_ms(duration_ms):
    """Lambda bills each request's duration rounded up to a whole millisecond.

    TODO: 38.2 -> 39, 250.0 -> 250, 0.4 -> 1.
    """
    return duration_ms


def gb_seconds(memory_mb, duration_ms, requests):
    """GB-seconds of `requests` requests that each ran duration_ms with memory_mb configured.

    TODO: memory in GB (1024 MB make 1 GB) x billed duration in seconds x requests.
    """
    return 0.0


def usage_totals(rows):
    """{function: {"requests": n, "gb_seconds": x}} for rows of (function, memory, ms, requests).

    TODO: add up the requests and the gb_seconds() of every row of each function.
    """
    return {}


def lambda_cost(requests, gbs, prices):
    """The month's Lambda bill for the account's total requests and GB-seconds (unrounded).

    TODO: subtract each free allowance (prices["lambda"]["free_..."]) from its own total, never
    going below 0; price the billable requests per million and the billable GB-seconds per
    GB-second.
    """
    return {"billable_requests": 0, "billable_gb_seconds": 0.0,
            "request_cost": 0.0, "duration_cost": 0.0, "total": 0.0}


def container_cost(tasks, vcpu, memory_gb, prices):
    """A month of `tasks` always-on containers of vcpu vCPUs and memory_gb GB each (unrounded).

    TODO: tasks x (vcpu x vCPU-hour price + memory_gb x GB-hour price) x hours per month.
    """
    return 0.0


def break_even(gbs_per_request, target, prices):
    """The smallest whole number of requests a month whose Lambda bill, at gbs_per_request
    GB-seconds each, is at least `target` dollars.

    TODO: lambda_cost(n, n * gbs_per_request, prices)["total"] never decreases as n grows, so
    you can search for n (or solve the straight-line pieces exactly). Free allowances count.
    """
    return 0


def summarize(rows, prices, tasks, vcpu, memory_gb):
    """The report, as printed. Everything above works unrounded; only this rounds, for display."""
    per_function = usage_totals(rows)
    requests = sum(f["requests"] for f in per_function.values())
    gbs = sum(f["gb_seconds"] for f in per_function.values())
    per_request = gbs / requests if requests else 0.0
    fn = lambda_cost(requests, gbs, prices)
    always_on = container_cost(tasks, vcpu, memory_gb, prices)
    if round(fn["total"], 2) == round(always_on, 2):
        cheaper = "tie"
    else:
        cheaper = "lambda" if fn["total"] < always_on else "container"
    return {
        "functions": {name: {"requests": f["requests"], "gb_seconds": round(f["gb_seconds"], 3)}
                      for name, f in sorted(per_function.items())},
        "lambda": {"requests": requests, "gb_seconds": round(gbs, 3),
                   "billable_requests": fn["billable_requests"],
                   "billable_gb_seconds": round(fn["billable_gb_seconds"], 3),
                   "request_cost": round(fn["request_cost"], 2),
                   "duration_cost": round(fn["duration_cost"], 2),
                   "total": round(fn["total"], 2)},
        "container": {"tasks": tasks, "vcpu": vcpu, "memory_gb": memory_gb,
                      "hours": prices["container"]["hours_per_month"],
                      "total": round(always_on, 2)},
        "cheaper": cheaper,
        "break_even_requests": break_even(per_request, always_on, prices),
    }


def read_usage(path):
    """Return the usage rows; raise InputError naming the file and the problem."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
            rows = []
            for row in reader:
                if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                    continue  # a blank line
                try:
                    rows.append(parse_row(row, reader.line_num))
                except ValueError as err:
                    raise InputError(f"{path}: {err}") from None
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}") from None
    if sum(r[3] for r in rows) == 0:
        raise InputError(f"{path}: no requests at all, so there is no traffic mix to price")
    return rows


def read_prices(path):
    try:
        with open(path, encoding="utf-8") as f:
            prices = json.load(f)
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}") from None
    except ValueError as err:
        raise InputError(f"{path} is not JSON: {err}") from None
    try:
        validate_prices(prices)
    except ValueError as err:
        raise InputError(f"{path}: {err}") from None
    return prices


def positive(kind):
    def convert(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be greater than 0, got {text}")
        return value
    return convert


def main(argv=None):
    parser = argparse.ArgumentParser(description="Price a month of Lambda usage against containers.")
    parser.add_argument("usage", help="CSV: function,memory_mb,duration_ms,requests")
    parser.add_argument("prices", help="the price file, JSON")
    parser.add_argument("--tasks", type=positive(int), default=2, help="containers (default 2)")
    parser.add_argument("--vcpu", type=positive(float), default=0.5, help="vCPUs each (default 0.5)")
    parser.add_argument("--memory-gb", type=positive(float), default=1.0,
                        help="memory in GB each (default 1)")
    args = parser.parse_args(argv)
    try:
        rows = read_usage(args.usage)
        prices = read_prices(args.prices)
        report = summarize(rows, prices, args.tasks, args.vcpu, args.memory_gb)
    except InputError as err:
        print(f"cost.py: {err}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
