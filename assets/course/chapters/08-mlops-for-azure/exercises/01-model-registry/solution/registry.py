#!/usr/bin/env python3
"""registry.py: a local, content-addressed model registry.

Usage:
    python3 registry.py [--root DIR] register --name NAME --path FILE [--tag KEY=VALUE ...]
    python3 registry.py [--root DIR] list [--name NAME]
    python3 registry.py [--root DIR] get --name NAME --version SPEC
    python3 registry.py [--root DIR] promote --name NAME --version SPEC --stage STAGE

SPEC is a version number, "latest", "staging" or "production". Exit status: 0 on success,
2 for unusable input, 4 when a name or version does not exist. README.md has the full rules.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
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
    """Write JSON so that readers see the old file or the new one, never half of one."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def check_name(name):
    if not NAME_RE.match(name):
        raise UsageError(f"invalid model name {name!r}: use letters, digits, '.', '_' and '-', "
                         "starting with a letter or digit")


def versions(root, name):
    """The registered versions of a name, as sorted integers.

    A version exists when its directory holds meta.json; a directory without one is an
    unfinished registration and does not count.
    """
    folder = os.path.join(root, name)
    if not os.path.isdir(folder):
        return []
    found = []
    for entry in os.listdir(folder):
        if entry.isdigit() and int(entry) > 0 and os.path.isfile(os.path.join(folder, entry, META)):
            found.append(int(entry))
    return sorted(found)


def read_meta(root, name, version):
    with open(os.path.join(root, name, str(version), META), encoding="utf-8") as f:
        return json.load(f)


def names(root):
    if not os.path.isdir(root):
        return []
    return sorted(n for n in os.listdir(root) if NAME_RE.match(n) and versions(root, n))


def register(root, name, path, tags):
    check_name(name)
    if not os.path.isfile(path):
        raise UsageError(f"{path}: no such file")
    digest = sha256_file(path)
    existing = versions(root, name)
    for v in existing:
        if read_meta(root, name, v)["sha256"] == digest:
            return {"name": name, "version": v, "sha256": digest, "created": False}
    version = (existing[-1] if existing else 0) + 1
    folder = os.path.join(root, name, str(version))
    os.makedirs(folder, exist_ok=True)  # an unfinished registration may have left it behind
    filename = os.path.basename(path)
    shutil.copyfile(path, os.path.join(folder, filename))
    meta = {
        "name": name,
        "version": version,
        "file": filename,
        "sha256": digest,
        "size": os.path.getsize(path),
        "tags": tags,
        "stage": "none",
    }
    write_json_atomic(os.path.join(folder, META), meta)  # written last: it commits the version
    return {"name": name, "version": version, "sha256": digest, "created": True}


def resolve(root, name, spec):
    """Turn a version spec (a number, latest, staging, production) into a version number."""
    check_name(name)
    existing = versions(root, name)
    if not existing:
        raise NotFound(f"no model named {name!r}")
    if spec == "latest":
        return existing[-1]
    if spec in STAGES:
        for v in existing:
            if read_meta(root, name, v).get("stage") == spec:
                return v
        raise NotFound(f"{name}: no version is in {spec}")
    if not spec.isdigit():
        raise UsageError(f"invalid version {spec!r}: use a number, latest, staging or production")
    if int(spec) not in existing:
        raise NotFound(f"{name}: no version {spec}")
    return int(spec)


def get(root, name, spec):
    version = resolve(root, name, spec)
    meta = read_meta(root, name, version)
    meta["path"] = os.path.join(root, name, str(version), meta["file"])
    return meta


def promote(root, name, spec, stage):
    version = resolve(root, name, spec)
    archived = []
    for v in versions(root, name):
        meta = read_meta(root, name, v)
        if v != version and meta.get("stage") == stage:
            meta["stage"] = "archived"
            write_json_atomic(os.path.join(root, name, str(v), META), meta)
            archived.append(v)
    meta = read_meta(root, name, version)
    meta["stage"] = stage
    write_json_atomic(os.path.join(root, name, str(version), META), meta)
    return {"name": name, "version": version, "stage": stage, "archived": archived}


def list_versions(root, name=None):
    if name is not None:
        check_name(name)
    chosen = [name] if name is not None else names(root)
    return [read_meta(root, n, v) for n in chosen for v in versions(root, n)]


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
