#!/usr/bin/env python3
"""dockerlint.py: review a Dockerfile without Docker, the way a CI step would.

Usage:
    python3 dockerlint.py Dockerfile

Prints a JSON list of findings, {"line": N, "rule": "DL-...", "message": "..."}, sorted by line
and then rule, and exits 1 when there is at least one finding, 0 when there is none, and 2 when
the file cannot be read or holds no FROM instruction. README.md describes the six rules.
"""
import argparse
import json
import re
import shlex
import sys
from collections import namedtuple

Instruction = namedtuple("Instruction", "line keyword args")


class LintError(Exception):
    """The file cannot be linted; main() prints it and exits with status 2."""


# ---- parsing (provided) ------------------------------------------------------------------

def instructions(text):
    """Split a Dockerfile into Instruction(line, keyword, args) tuples.

    - Lines are numbered from 1. An instruction's line is the line it starts on.
    - Blank lines and comment lines (first non-blank character `#`) are skipped, also in the
      middle of an instruction that continues over several lines.
    - A line ending in a backslash continues on the next line; the pieces are joined with one
      space, without the backslash.
    - The keyword is the first word, in capitals (instructions are case-insensitive); args is
      the rest, stripped.
    """
    result, start, pieces = [], None, []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        continued = stripped.endswith("\\")
        if continued:
            stripped = stripped[:-1].strip()
        if start is None:
            start = number
        pieces.append(stripped)
        if not continued:
            result.append(_instruction(start, pieces))
            start, pieces = None, []
    if start is not None:
        result.append(_instruction(start, pieces))
    return result


def _instruction(line, pieces):
    words = " ".join(p for p in pieces if p).split(None, 1)
    return Instruction(line, words[0].upper(), words[1].strip() if len(words) > 1 else "")


def without_options(args):
    """args without the leading --options of an instruction (RUN --mount=..., ADD --chown=...)."""
    words = args.split(" ")
    while words and (words[0].startswith("--") or words[0] == ""):
        words.pop(0)
    return " ".join(words).strip()


def shell_commands(args):
    """The simple commands of a RUN instruction, each as a list of words.

    A shell-form RUN is cut at &&, ||, ; and |; an exec-form RUN (a JSON list) is one command.
    """
    args = without_options(args)
    if args.startswith("["):
        try:
            words = json.loads(args)
            if isinstance(words, list):
                return [[str(w) for w in words]] if words else []
        except ValueError:
            pass
    return [part.split() for part in re.split(r"&&|\|\||;|\|", args) if part.split()]


def finding(line, rule, message):
    return {"line": line, "rule": rule, "message": message}


# ---- the rules ---------------------------------------------------------------------------

def check_from_tags(instrs):
    """DL-TAG: a base image without a tag, or with the tag latest."""
    found, stages = [], set()
    for ins in instrs:
        if ins.keyword != "FROM":
            continue
        words = without_options(ins.args).split()
        if not words:
            continue
        image = words[0]
        if len(words) >= 3 and words[1].lower() == "as":
            alias = words[2].lower()
        else:
            alias = None
        pinned = (image.lower() in stages or image.lower() == "scratch" or "$" in image
                  or "@" in image)
        if not pinned:
            last = image.rsplit("/", 1)[-1]
            if ":" not in last:
                found.append(finding(ins.line, "DL-TAG", f"{image} has no tag: pin a version, such "
                                     "as python:3.12-slim-bookworm, or a digest"))
            elif last.split(":", 1)[1] == "latest":
                found.append(finding(ins.line, "DL-TAG", f"{image} uses the moving tag latest: pin "
                                     "a version or a digest"))
        if alias:
            stages.add(alias)
    return found


def says_yes(word):
    if word in ("--yes", "--assume-yes"):
        return True
    return re.fullmatch(r"-[A-Za-z]+", word) is not None and "y" in word


def check_run(instrs):
    """DL-APT and DL-CD, one finding each at most per RUN instruction."""
    found = []
    for ins in instrs:
        if ins.keyword != "RUN":
            continue
        commands = shell_commands(ins.args)
        updated, problems = False, []
        for words in commands:
            if "apt-get" not in words:
                continue
            after = words[words.index("apt-get") + 1:]
            if "install" in after:
                if not any(says_yes(w) for w in after):
                    problems.append("apt-get install without -y waits for an answer nobody gives")
                if not updated:
                    problems.append("apt-get install without apt-get update earlier in the same RUN "
                                    "uses a stale package index")
            if "update" in after:
                updated = True
        if problems:
            found.append(finding(ins.line, "DL-APT", "; ".join(dict.fromkeys(problems))))
        if any(words[0] == "cd" for words in commands):
            found.append(finding(ins.line, "DL-CD", "RUN cd only lasts for this RUN: use WORKDIR"))
    return found


ARCHIVES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")


def check_add(instrs):
    """DL-ADD: ADD of local files that are not tar archives (COPY says what it does)."""
    found = []
    for ins in instrs:
        if ins.keyword != "ADD":
            continue
        args = without_options(ins.args)
        words = None
        if args.startswith("["):
            try:
                words = [str(w) for w in json.loads(args)]
            except (ValueError, TypeError):
                words = None
        if words is None:
            words = args.split()
        sources = words[:-1]
        local = [s for s in sources
                 if not s.startswith(("http://", "https://")) and not s.lower().endswith(ARCHIVES)]
        if local:
            found.append(finding(ins.line, "DL-ADD", f"ADD {local[0]} copies a local file: use COPY"))
    return found


VERSION_KEYS = {"version", "org.opencontainers.image.version"}


def label_keys(args):
    try:
        tokens = shlex.split(args)
    except ValueError:
        return []
    if not tokens:
        return []
    if "=" not in tokens[0]:
        return [tokens[0]]  # the old form: LABEL key value
    return [t.split("=", 1)[0] for t in tokens]


def check_final_stage(instrs):
    """DL-USER and DL-LABEL, about the last stage: the image that ships."""
    starts = [i for i, ins in enumerate(instrs) if ins.keyword == "FROM"]
    stage = instrs[starts[-1]:]
    found = []
    users = [ins for ins in stage if ins.keyword == "USER"]
    if not users:
        found.append(finding(stage[0].line, "DL-USER", "the final stage never sets USER, so the "
                             "container runs as root"))
    elif users[-1].args.split(":", 1)[0].strip() in ("root", "0"):
        found.append(finding(users[-1].line, "DL-USER", "the final stage runs as root: switch to "
                             "an unprivileged user"))
    keys = [k.lower() for ins in stage if ins.keyword == "LABEL" for k in label_keys(ins.args)]
    if not VERSION_KEYS.intersection(keys):
        found.append(finding(stage[0].line, "DL-LABEL", "the final stage has no version label, "
                             "such as org.opencontainers.image.version"))
    return found


def lint(instrs):
    """Return every finding for a parsed Dockerfile, sorted by line and then rule."""
    if not any(ins.keyword == "FROM" for ins in instrs):
        raise LintError("no FROM instruction: is this a Dockerfile?")
    found = check_from_tags(instrs) + check_run(instrs) + check_add(instrs) + check_final_stage(instrs)
    return sorted(found, key=lambda f: (f["line"], f["rule"]))


def main(argv=None):
    parser = argparse.ArgumentParser(description="Lint a Dockerfile without Docker.")
    parser.add_argument("dockerfile", help="the Dockerfile to review")
    args = parser.parse_args(argv)
    try:
        with open(args.dockerfile, encoding="utf-8") as f:
            text = f.read()
        found = lint(instructions(text))
    except OSError as err:
        print(f"dockerlint.py: cannot read {args.dockerfile}: {err.strerror}", file=sys.stderr)
        return 2
    except (LintError, UnicodeDecodeError) as err:
        print(f"dockerlint.py: {args.dockerfile}: {err}", file=sys.stderr)
        return 2
    print(json.dumps(found, indent=2))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
