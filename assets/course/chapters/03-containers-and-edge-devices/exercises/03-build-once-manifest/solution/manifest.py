"""manifest.py: describe one build of the model image in a manifest, image.json.

Usage (the Makefile's image-manifest target calls it):
    python3 manifest.py --name NAME --version-file VERSION --model MODEL \
        --dockerfile Dockerfile --out deploy/dev/image.json

Writes the manifest in the canonical format of write_manifest() and exits 0. When something
is wrong, prints why on stderr, writes nothing and exits with status 2. README.md has the rules.
"""
import argparse
import hashlib
import json
import os
import re
import sys
import time


class ManifestError(Exception):
    """The build cannot be described; main() prints the message and exits with status 2."""


NAME_RE = re.compile(r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*")
VERSION_RE = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?")
PY_TAG_RE = re.compile(r"([0-9]+\.[0-9]+(?:\.[0-9]+)?)(?:-|$)")


def check_name(name):
    """Return name when it is a valid image name component, else raise ManifestError."""
    if not NAME_RE.fullmatch(name):
        raise ManifestError(f"{name!r} is not a valid image name: use lower-case letters and "
                            "digits joined by '.', '_', '__' or '-'")
    return name


def read_version(path):
    """The release version in the file at path, stripped, which becomes the image tag."""
    try:
        with open(path, encoding="utf-8") as f:
            version = f.read().strip()
    except OSError as err:
        raise ManifestError(f"cannot read {path}: {err.strerror}")
    if version == "latest":
        raise ManifestError(f"{path} says 'latest': a tag that moves cannot identify a build")
    if len(version) > 128 or not VERSION_RE.fullmatch(version):
        raise ManifestError(f"{path} holds {version!r}, not a version such as 1.4.0 or 2.0.0-rc.1")
    return version


def file_sha256(path):
    """The SHA-256 of the file's bytes, as 64 lower-case hex digits."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 16), b""):
                digest.update(block)
    except OSError as err:
        raise ManifestError(f"cannot read the model {path}: {err.strerror}")
    return digest.hexdigest()


def python_version(dockerfile_text):
    """The Python version of the final stage of a Dockerfile: "3.12" for python:3.12-slim."""
    froms = []
    for line in dockerfile_text.splitlines():
        words = line.split()
        if words and not words[0].startswith("#") and words[0].upper() == "FROM":
            froms.append([w for w in words[1:] if not w.startswith("--")])
    if not froms or not froms[-1]:
        raise ManifestError("the Dockerfile has no FROM")
    image = froms[-1][0]
    last = image.split("@", 1)[0].rsplit("/", 1)[-1]
    repository, _, tag = last.partition(":")
    if repository != "python":
        raise ManifestError(f"the final stage is built FROM {image}, not a python image")
    match = PY_TAG_RE.match(tag)
    if not match:
        raise ManifestError(f"the final stage's image {image} does not pin a Python version "
                            "such as python:3.12-slim")
    return match.group(1)


def build_time(environ):
    """The build time as YYYY-MM-DDTHH:MM:SSZ in UTC."""
    value = environ.get("SOURCE_DATE_EPOCH", "")
    if value:
        if not re.fullmatch(r"[0-9]+", value):
            raise ManifestError(f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds")
        seconds = int(value)
    else:
        seconds = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


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
