"""predictor: score rows of user activity with the bundled churn model.

Usage (once packaged):
    python3 predictor.pyz --input rows.json    one churn probability per row, 4 decimals
    python3 predictor.pyz --version            the release and the first 12 digits of the model hash
"""
import argparse
import json
import math
import pkgutil
import sys


def load_bundled(name):
    """Return the parsed JSON file `name` that ships inside the package.

    pkgutil.get_data asks the module's loader for the file, so it works from a folder and from
    inside a zip archive alike, whatever the current directory is.
    """
    data = pkgutil.get_data(__name__, name)
    if data is None:
        raise OSError(f"{name} is not in the package")
    return json.loads(data)


def score(model, row):
    """The model's churn probability for one row: a logistic regression."""
    z = model["bias"] + sum(w * float(row[name]) for name, w in sorted(model["weights"].items()))
    return 1.0 / (1.0 + math.exp(-z))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="predictor.pyz",
                                     description="Score JSON rows with the bundled churn model.")
    parser.add_argument("--input", metavar="ROWS.json", help="a JSON file holding a list of rows")
    parser.add_argument("--version", action="store_true",
                        help="print the release version and the model's hash, then exit")
    args = parser.parse_args(argv)

    if args.version:
        try:
            manifest = load_bundled("MANIFEST.json")
        except (OSError, ValueError) as err:
            print(f"predictor: no usable MANIFEST.json: {err}", file=sys.stderr)
            return 2
        print(manifest["version"], manifest["model_sha256"][:12])
        return 0

    if not args.input:
        parser.error("--input is required")
    try:
        model = load_bundled("model.json")
        with open(args.input, encoding="utf-8") as f:
            rows = json.load(f)
        for row in rows:
            print(f"{score(model, row):.4f}")
    except (OSError, ValueError, KeyError, TypeError) as err:
        print(f"predictor: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
