"""Build this attempt's hidden Dockerfiles, each with the findings planted in it.

build(seed) returns a list of cases: {"name", "title", "text", "expected"}, where expected is a
sorted list of [line, rule] pairs, or None when dockerlint.py must refuse the file (exit 2).
The expectations come from construction, not from a linter: every block knows what it plants.
generate.py writes the files; check_dockerlint.py calls build() again with the same seed.
"""
import random

PY = ["3.10", "3.11", "3.12", "3.13"]
DEBIAN = ["bookworm", "trixie"]
PACKAGES = ["curl", "ca-certificates", "libgomp1", "git", "jq", "tini", "gnupg", "unzip",
            "libopenblas0", "build-essential"]
USERS = ["app", "appuser", "svc", "runner", "model"]
WORDS = ["churn", "ranker", "vision", "fraud", "reco", "forecast", "edge", "speech"]


class Doc:
    """Lines of a Dockerfile and the (line, rule) findings planted in them."""

    def __init__(self, rng, lower=False):
        self.rng, self.lower, self.lines, self.expect = rng, lower, [], []

    def kw(self, keyword):
        return keyword.lower() if self.lower else keyword

    def add(self, text, *rules):
        """Append an instruction (possibly several lines); return its first line number."""
        keyword, _, rest = text.partition(" ")
        line = len(self.lines) + 1
        self.lines.extend((self.kw(keyword) + " " + rest).split("\n"))
        for rule in rules:
            self.expect.append([line, rule])
        return line

    def note(self, text):
        self.lines.append("# " + text)

    def blank(self):
        self.lines.append("")

    def plant(self, line, rule):
        self.expect.append([line, rule])

    def case(self, name, title):
        return {"name": name, "title": title, "text": "\n".join(self.lines) + "\n",
                "expected": sorted(self.expect)}


def slim(rng):
    return f"python:{rng.choice(PY)}-slim-{rng.choice(DEBIAN)}"


def digest(rng):
    return "sha256:" + "".join(rng.choice("0123456789abcdef") for _ in range(64))


def pkgs(rng, k=None):
    return " ".join(sorted(rng.sample(PACKAGES, k or rng.randint(1, 3))))


def good_apt(rng):
    """An apt-get RUN that does everything right, in one of several shapes."""
    shape = rng.randrange(3)
    if shape == 0:
        return (f"RUN apt-get update && apt-get install -y --no-install-recommends {pkgs(rng)} \\\n"
                "    && rm -rf /var/lib/apt/lists/*")
    if shape == 1:
        return (f"RUN apt-get update \\\n"
                f"    # keep the image small\n"
                f"    && apt-get install --yes --no-install-recommends \\\n"
                f"        {pkgs(rng)} \\\n"
                f"    && rm -rf /var/lib/apt/lists/*")
    return f"RUN set -eux; apt-get -q update; apt-get -qy install {pkgs(rng)}"


def final_stage(doc, rng, from_line, user="good", label="good", scratch=False):
    """USER and LABEL for the final stage, planting DL-USER and DL-LABEL as asked."""
    name = rng.choice(USERS)
    if user == "good" and scratch:
        doc.add("USER 65534:65534")  # nobody: a scratch image has no useradd
    elif user == "good":
        doc.add(f"RUN useradd --create-home --uid {rng.randint(1000, 60000)} {name}")
        doc.add(rng.choice([f"USER {name}", f"USER {name}:{name}", f"USER {rng.randint(1000, 60000)}"]))
    elif user == "missing":
        doc.plant(from_line, "DL-USER")
    elif user == "root_last":
        doc.add(f"USER {name}")
        doc.add(f"COPY --chown={name} . /srv/")
        doc.add(rng.choice(["USER root", "USER 0", "USER root:root", "USER 0:0"]), "DL-USER")
    if label == "good":
        version = f"{rng.randint(0, 4)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
        doc.add(rng.choice([
            f'LABEL org.opencontainers.image.version="{version}"',
            f'LABEL org.opencontainers.image.title="{rng.choice(WORDS)}-api" \\\n'
            f'      org.opencontainers.image.version="{version}"',
            f"LABEL version={version}",
            f'LABEL version "{version}"',
            f'LABEL Version="{version}" maintainer="ml-platform@example.com"',
        ]))
    elif label == "other_keys":
        doc.add(f'LABEL org.opencontainers.image.title="{rng.choice(WORDS)}" '
                f'org.opencontainers.image.revision="{rng.randint(10**6, 10**7)}"')
        doc.plant(from_line, "DL-LABEL")
    elif label == "missing":
        doc.plant(from_line, "DL-LABEL")


def clean(rng):
    doc = Doc(rng)
    doc.note("A service image with nothing to report.")
    if rng.random() < 0.5:
        line = doc.add(f"FROM {slim(rng)}")
    else:
        line = doc.add(f"FROM debian:{rng.choice(DEBIAN)}-slim@{digest(rng)}")
        doc.add(good_apt(rng))
    doc.add("WORKDIR /app")
    doc.add("COPY requirements.txt .")
    doc.add("RUN pip install --no-cache-dir -r requirements.txt")
    doc.add("COPY src/ ./src/")
    final_stage(doc, rng, line)
    doc.add('CMD ["python3", "-m", "src.serve"]')
    return doc.case("clean", "A clean Dockerfile gives [] and exit status 0")


def tags(rng):
    doc = Doc(rng)
    word = rng.choice(WORDS)
    bad = [
        ("FROM python AS deps", "no tag"),
        ("FROM python:latest AS deps", "latest"),
        (f"FROM registry.example.com:5000/ml/{word}-base AS deps", "registry port, no tag"),
        (f"FROM ghcr.io/acme/{word}-base:latest AS deps", "latest"),
    ]
    good = [
        (f"FROM {slim(rng)} AS deps", ""),
        (f"FROM registry.example.com:5000/ml/{word}-base:{rng.randint(1, 9)}.{rng.randint(0, 9)} AS deps", ""),
        (f"FROM python@{digest(rng)} AS deps", ""),
    ]
    first, why = rng.choice(bad + good)
    last = rng.choice(["FROM scratch", f"FROM {slim(rng)}", "FROM debian", "FROM python:latest"])
    last_bad = last in ("FROM debian", "FROM python:latest")
    seconds = [("FROM deps AS test", False), ("FROM DEPS AS test", False),
               ("FROM ubuntu AS test", True), ("FROM node:latest AS test", True)]
    if not why and not last_bad:
        seconds = [s for s in seconds if s[1]]  # plant at least one finding
    second = rng.choice(seconds)
    doc.add(first, *(["DL-TAG"] if why else []))
    doc.add("RUN pip wheel --wheel-dir /wheels -r requirements.txt")
    doc.blank()
    doc.add(second[0], *(["DL-TAG"] if second[1] else []))
    doc.add("RUN python3 -m unittest discover")
    doc.blank()
    # A registry with a port: the ":" before the port is not a tag.
    doc.add(f"FROM registry.example.com:5000/ml/{word}-tools AS tools", "DL-TAG")
    doc.add("RUN tools --version")
    doc.blank()
    line = doc.add(last, *(["DL-TAG"] if last_bad else []))
    doc.add("COPY --from=deps /wheels /wheels")
    final_stage(doc, rng, line, scratch=last == "FROM scratch")
    return doc.case("tags", "Base image tags: latest, no tag, registry ports, digests, stage names, scratch")


def apt(rng):
    doc = Doc(rng)
    line = doc.add(f"FROM debian:{rng.choice(DEBIAN)}-slim")
    blocks = [
        (good_apt(rng), []),
        (f"RUN apt-get install -y {pkgs(rng)}", ["DL-APT"]),                      # no update
        (f"RUN apt-get update && apt-get install {pkgs(rng)}", ["DL-APT"]),       # no -y
        (f"RUN apt-get update \\\n    && apt-get install \\\n        --no-install-recommends {pkgs(rng)}",
         ["DL-APT"]),
        (f"RUN apt-get -qq update && apt-get -qqy install {pkgs(rng)}", []),
        (f"RUN apt-get install -y {pkgs(rng)} && apt-get update", ["DL-APT"]),    # update too late
        (f"RUN --mount=type=cache,target=/var/cache/apt apt-get update \\\n"
         f"    && apt-get install --assume-yes {pkgs(rng)}", []),
        ("RUN echo 'apt-get install later' > /etc/motd", []),
    ]
    rng.shuffle(blocks)
    # An update in its own RUN does not help the next RUN: each RUN is a fresh shell and layer.
    split = rng.randrange(len(blocks))
    blocks.insert(split, ("RUN apt-get update", []))
    blocks.insert(split + 1, (f"RUN apt-get install -y {pkgs(rng)}", ["DL-APT"]))
    for text, rules in blocks:
        doc.add(text, *rules)
        if rng.random() < 0.3:
            doc.blank()
    final_stage(doc, rng, line)
    return doc.case("apt", "apt-get install needs -y and an apt-get update earlier in the same RUN")


def final(rng):
    doc = Doc(rng)
    doc.note("Only the final stage ships: its USER and LABEL are the ones that count.")
    doc.add(f"FROM {slim(rng).replace('-slim', '')} AS build")
    doc.add("RUN pip wheel --wheel-dir /wheels .")
    if rng.random() < 0.5:
        doc.add(f'LABEL org.opencontainers.image.version="{rng.randint(1, 5)}.0.0"')
    doc.add(f"USER {rng.choice(USERS)}")
    doc.blank()
    line = doc.add(f"FROM {slim(rng)}")
    doc.add("COPY --from=build /wheels /wheels")
    user = rng.choice(["missing", "missing", "root_last", "good"])
    if user == "good":
        label = rng.choice(["missing", "other_keys"])  # plant at least one finding
    else:
        label = rng.choice(["missing", "other_keys", "good", "good"])
    final_stage(doc, rng, line, user=user, label=label)
    doc.add('ENTRYPOINT ["python3", "-m", "serve"]')
    return doc.case("final", "Multi-stage: USER and a version LABEL are checked in the final stage only")


def adds(rng):
    doc = Doc(rng)
    line = doc.add(f"FROM {slim(rng)}")
    word = rng.choice(WORDS)
    blocks = [
        (f"ADD https://models.example.com/{word}/v{rng.randint(1, 9)}/model.onnx /models/", []),
        (f"ADD vendor/{word}-runtime-{rng.randint(1, 3)}.{rng.randint(0, 9)}.tar.gz /opt/", []),
        (f"ADD data/{word}.TGZ /data/", []),
        ("ADD requirements.txt /app/", ["DL-ADD"]),
        (f"ADD --chown={rng.choice(USERS)}:{rng.choice(USERS)} config/ /etc/{word}/", ["DL-ADD"]),
        ('ADD ["feature list.csv", "/app/features/"]', ["DL-ADD"]),
        ("ADD https://example.com/a.txt src/extra.py /app/", ["DL-ADD"]),
        ("COPY src/ /app/src/", []),
    ]
    for text, rules in rng.sample(blocks, rng.randint(5, len(blocks))):
        doc.add(text, *rules)
    final_stage(doc, rng, line)
    return doc.case("add", "ADD is for URLs and tar archives; local files need COPY")


def cds(rng):
    doc = Doc(rng)
    line = doc.add(f"FROM {slim(rng)}")
    blocks = [
        ("RUN cd /src && pip install .", ["DL-CD"]),
        ("RUN mkdir -p /srv/models; cd /srv/models && touch .keep", ["DL-CD"]),
        ("RUN --mount=type=cache,target=/root/.cache cd /build \\\n    && make wheel", ["DL-CD"]),
        ("RUN echo cd is fine as an argument", []),
        ("RUN make -C /src install", []),
        ("RUN test -d /src || cd /", ["DL-CD"]),
        ("RUN abcd --version", []),
    ]
    doc.add("WORKDIR /src")
    for text, rules in rng.sample(blocks, rng.randint(4, len(blocks))):
        doc.add(text, *rules)
    final_stage(doc, rng, line)
    return doc.case("cd", "RUN cd anywhere in a RUN is reported; WORKDIR is the tool")


def lowercase(rng):
    doc = Doc(rng, lower=True)
    doc.note("Instructions are case-insensitive.")
    bad_from = rng.random() < 0.5
    line = doc.add("FROM python:latest" if bad_from else f"FROM {slim(rng)}", *(["DL-TAG"] if bad_from else []))
    doc.add(f"RUN apt-get update && apt-get install {pkgs(rng)}", "DL-APT")
    doc.add("ADD app.py /app/", "DL-ADD")
    doc.add("RUN cd /app && python3 -m compileall .", "DL-CD")
    final_stage(doc, rng, line, user=rng.choice(["missing", "root_last"]), label=rng.choice(["missing", "good"]))
    return doc.case("lowercase", "Lower-case instructions are read like upper-case ones")


def args_and_platforms(rng):
    doc = Doc(rng)
    version = rng.choice(PY)
    doc.add(f"ARG PYTHON_VERSION={version}")
    doc.add(f"ARG BASE=python:{version}-slim")
    doc.add("FROM --platform=$BUILDPLATFORM golang:1.22 AS tools")
    doc.add("RUN go install example.com/tool@v1.2.3")
    doc.add("FROM ${BASE} AS base")
    doc.add("FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime")
    bad = rng.random() < 0.5
    line = doc.add("FROM --platform=linux/amd64 ubuntu" if bad else "FROM --platform=linux/arm64 ubuntu:24.04",
                   *(["DL-TAG"] if bad else []))
    doc.add("COPY --from=tools /go/bin/tool /usr/local/bin/")
    final_stage(doc, rng, line, user=rng.choice(["good", "missing"]), label="good")
    return doc.case("args", "Images built from ARGs are skipped; --platform is not the image")


def edge(rng):
    doc = Doc(rng)
    doc.note("Wrap the Edge TPU Compiler in a Debian image (lesson ch03-edge-devices).")
    pin = rng.random() < 0.5
    line = doc.add(f"FROM debian:{rng.choice(DEBIAN)}-slim" if pin else "FROM debian", *([] if pin else ["DL-TAG"]))
    yes = rng.random() < 0.5
    doc.add("RUN apt-get update \\\n"
            f"    && apt-get install {'-y ' if yes else ''}--no-install-recommends curl gnupg ca-certificates",
            *([] if yes else ["DL-APT"]))
    doc.note("... Coral's apt repository and signing key go here ...")
    doc.add("RUN apt-get update && apt-get install -y edgetpu-compiler")
    doc.add("WORKDIR /work")
    final_stage(doc, rng, line, user=rng.choice(["good", "missing"]), label=rng.choice(["good", "missing"]))
    doc.add('ENTRYPOINT ["edgetpu_compiler"]')
    return doc.case("edge", "The Edge TPU compiler image")


def no_from(rng):
    doc = Doc(rng)
    doc.note("Not a Dockerfile: a shell script saved under the wrong name.")
    doc.add(f"RUN pip install {rng.choice(WORDS)}")
    doc.add("CMD serve")
    case = doc.case("no_from", "A file without FROM exits with status 2")
    case["expected"] = None
    return case


def build(seed):
    rng = random.Random(seed)
    makers = [clean, tags, apt, final, adds, cds, lowercase, args_and_platforms, edge, no_from]
    return [make(random.Random(rng.randrange(2 ** 32))) for make in makers]
