"""manifest.py: describe one build of the model image in a manifest, image.json.

Usage (the Makefile's image-manifest target calls it):
    python3 manifest.py --name NAME --version-file VERSION --model MODEL \
        --dockerfile Dockerfile --out deploy/dev/image.json

Writes the manifest in the canonical format of write_manifest() and exits 0. When something
is wrong, prints why on stderr, writes nothing and exits with status 2. README.md has the rules.
"""
import argparse
import hashlib  # noqa: F401
import json
import os
import re  # noqa: F401
import sys
import time  # noqa: F401


class ManifestError(Exception):
    """The build cannot be described; main() prints the message and exits with status 2."""


def check_name(name):
    """Return name when it is a valid image name component, else raise ManifestError.

    TODO: lower-case letters and digits, in groups joined by one separator: a period, one or
    two underscores, or one or more hyphens (model-api, churn_v2, ml.scorer).
    """
    return name


def read_version(path):
    """The release version in the file at path, stripped, which becomes the image tag.

    TODO: raise ManifestError unless it is MAJOR.MINOR.PATCH with an optional -PRERELEASE
    (README.md gives the exact rule). "latest" is never a version.
    """
    with open(path) as f:
        return f.read().strip()


def file_sha256(path):
    """TODO: the SHA-256 of the file's bytes, as 64 lower-case hex digits."""
    return ""


def python_version(dockerfile_text):
    """The Python version of the final stage of a Dockerfile: "3.12" for python:3.12-slim.

    TODO: find the last FROM (README.md says how), and raise ManifestError when its image is not
    python or its tag does not start with a version such as 3.12 or 3.12.4.
    """
    return ""


def build_time(environ):
    """The build time as YYYY-MM-DDTHH:MM:SSZ in UTC.

    TODO: from SOURCE_DATE_EPOCH (whole seconds since 1970-01-01 UTC) when environ has it and
    it is not empty, raising ManifestError when it is not a whole number; else the current time.
    """
    return ""


# ---- done for you ------------------------------------------------------------------------

def write_manifest(path, manifest):
    """Write manifest to path in the canonical format: sorted keys, two-space indent, newline.

    The file appears complete or not at all (written next to it, then renamed).
    """
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    os.replace(path + ".tmp", path)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True)
    parser.add_argument("--version-file", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--dockerfile", required=True)
    parser.add_argument("--environment", default="dev")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    try:
        try:
            with open(args.dockerfile, encoding="utf-8") as f:
                dockerfile = f.read()
        except OSError as err:
            raise ManifestError(f"cannot read {args.dockerfile}: {err.strerror}")
        manifest = {
            "name": check_name(args.name),
            "tag": read_version(args.version_file),
            "model_sha256": file_sha256(args.model),
            "python_version": python_version(dockerfile),
            "build_time": build_time(os.environ),
            "environment": args.environment,
        }
    except ManifestError as err:
        print(f"manifest.py: {err}", file=sys.stderr)
        return 2
    write_manifest(args.out, manifest)
    print(f"manifest.py: wrote {args.out} for {manifest['name']}:{manifest['tag']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
