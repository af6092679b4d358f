#!/usr/bin/env python3
"""registry.py: a local, content-addressed model registry.

Usage:
    python3 registry.py [--root DIR] register --name NAME --path FILE [--tag KEY=VALUE ...]
    python3 registry.py [--root DIR] list [--name NAME]
    python3 registry.py [--root DIR] get --name NAME --version SPEC
    python3 registry.py [--root DIR] promote --name NAME --version SPEC --stage STAGE

SPEC is a version number, "latest", "staging" or "production". Exit status: 0 on success,
2 for unusable input, 4 when a name or version does not exist. README.md has the full rules.

The command line, the output and the exit statuses are done. Fill in the functions marked
TODO, top to bottom.
"""
import argparse
import hashlib
import json
import os  # noqa: F401  (os.listdir, os.makedirs, os.replace ...)
import re
import shutil  # noqa: F401  (shutil.copyfile)
import sys

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
STAGES = ("staging", "production")
META = "meta.json"


class UsageError(Exception):
    """Unusable input: exit status 2."""


class NotFound(Exception):
    """No such name or version: exit status 4."""


def sha256_file(path):
    """The SHA-256 of a file's bytes, read in chunks so large models fit in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_json_atomic(path, data):
    """Write data as JSON to path so that a reader never sees half a file.

    TODO: write to a temporary file next to path (path + ".tmp"), then os.replace() it onto
    path: on one file system that rename is atomic.
    """
    raise NotImplementedError("write_json_atomic")


def check_name(name):
    """TODO: raise UsageError unless NAME_RE matches name (it keeps names inside the registry)."""
    raise NotImplementedError("check_name")


def versions(root, name):
    """The registered versions of a name, as a sorted list of integers.

    TODO: a version is a directory ROOT/NAME/<number> that holds meta.json. A directory
    without meta.json is an unfinished registration and does not count.
    """
    raise NotImplementedError("versions")


def read_meta(root, name, version):
    with open(os.path.join(root, name, str(version), META), encoding="utf-8") as f:
        return json.load(f)


def register(root, name, path, tags):
    """Store a copy of the file at path as the next version of name; return the summary dict.

    TODO:
    - refuse a bad name or a missing file (UsageError)
    - if a version of name already has the same sha256, return it with "created": False
    - otherwise copy the file to ROOT/NAME/<next version>/<its file name>, then write meta.json
      (name, version, file, sha256, size, tags, stage "none") atomically, last
    Return {"name", "version", "sha256", "created"}.
    """
    raise NotImplementedError("register")


def resolve(root, name, spec):
    """Turn a version spec into a version number.

    TODO: spec is "latest" (the highest version), "staging" or "production" (the version whose
    meta.json has that stage) or a number. Raise NotFound when there is no such version and
    UsageError when spec is none of these.
    """
    raise NotImplementedError("resolve")


def get(root, name, spec):
    """TODO: the meta.json of the resolved version, plus "path": the stored model file."""
    raise NotImplementedError("get")


def promote(root, name, spec, stage):
    """Move the resolved version to stage; return {"name", "version", "stage", "archived"}.

    TODO: every other version of name in that stage becomes "archived" (listed in "archived").
    """
    raise NotImplementedError("promote")


def list_versions(root, name=None):
    """TODO: the meta.json of every version (of one name, or of all), by name then version."""
    raise NotImplementedError("list_versions")


def parse_tags(items):
    tags = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"invalid tag {item!r}: use KEY=VALUE")
        tags[key] = value
    return tags


def parse_args(argv):
    parser = argparse.ArgumentParser(description="A local, content-addressed model registry.")
    parser.add_argument("--root", default="registry", help="registry directory (default: registry)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("register", help="store a model file as a new version")
    p.add_argument("--name", required=True)
    p.add_argument("--path", required=True)
    p.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE")
    p = sub.add_parser("list", help="list versions as JSON")
    p.add_argument("--name")
    p = sub.add_parser("get", help="show one version")
    p.add_argument("--name", required=True)
    p.add_argument("--version", required=True, help="a number, latest, staging or production")
    p = sub.add_parser("promote", help="move a version to a stage")
    p.add_argument("--name", required=True)
    p.add_argument("--version", required=True, help="a number, latest, staging or production")
    p.add_argument("--stage", required=True, choices=STAGES)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        if args.command == "register":
            result = register(args.root, args.name, args.path, parse_tags(args.tag))
        elif args.command == "list":
            result = list_versions(args.root, args.name)
        elif args.command == "get":
            result = get(args.root, args.name, args.version)
        else:
            result = promote(args.root, args.name, args.version, args.stage)
    except UsageError as err:
        print(f"registry.py: {err}", file=sys.stderr)
        return 2
    except NotFound as err:
        print(f"registry.py: {err}", file=sys.stderr)
        return 4
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
