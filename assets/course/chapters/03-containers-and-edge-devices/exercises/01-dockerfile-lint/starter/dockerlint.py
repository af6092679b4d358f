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


# ---- parsing (done for you) ---------------------------------------------------------------

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


# ---- the rules (yours to write) ----------------------------------------------------------

def check_from_tags(instrs):
    """DL-TAG: a base image without a tag, or with the tag latest.

    TODO: for every FROM, skip options such as --platform=... (without_options), take the image
    (the first word) and remember the stage name after AS. No finding for scratch, for the name
    of an earlier stage, for an image with a $ or an @ in it. Otherwise the tag is what follows
    ":" in the part after the last "/" (registry.example:5000/app has no tag).
    """
    return []


def says_yes(word):
    """True for a word that answers yes to apt-get: -y, --yes, --assume-yes or a group like -qy."""
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
        # TODO DL-APT: a command with apt-get and, later, install must say yes (says_yes) and
        # must come after a command with apt-get and, later, update, in the same RUN.
        if any(words[0] == "cd" for words in commands):
            found.append(finding(ins.line, "DL-CD", "RUN cd only lasts for this RUN: use WORKDIR"))
    return found


ARCHIVES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")


def check_add(instrs):
    """DL-ADD: ADD of local files that are not tar archives (COPY says what it does).

    TODO: skip the options (--chown=...); the sources are every word but the last (or every
    item but the last of a JSON list). A source is fine when it starts with http:// or https://
    or ends with one of ARCHIVES.
    """
    return []


VERSION_KEYS = {"version", "org.opencontainers.image.version"}


def label_keys(args):
    """The keys a LABEL instruction sets: LABEL a=1 "b c"=2 sets a and b c; LABEL a 1 sets a."""
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
    """DL-USER and DL-LABEL, about the last stage: the image that ships.

    TODO: the final stage runs from the last FROM to the end. DL-USER: no USER in it (report
    the FROM line), or its last USER is root or 0, with or without a :group (report that USER
    line). DL-LABEL: no LABEL in it sets a key in VERSION_KEYS, ignoring case (report the FROM
    line).
    """
    return []


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
