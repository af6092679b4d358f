"""Build and promote hidden releases with the learner's Makefile, manifest.py and promote.sh.

Every scenario runs in a fresh copy of the project (without any deploy/ folder). Results go to
$KAIZEN_RESULTS; messages say what differs and which rule of README.md explains it.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
KEYS = ["name", "tag", "model_sha256", "python_version", "build_time", "environment"]
results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


def gen(name, mode="r"):
    with open(os.path.join(GEN, name), mode) as f:
        return f.read()


RELEASE = json.loads(gen("release.json"))


# ---- reference -----------------------------------------------------------------------------

def ref_python(text):
    """The version of the final FROM's python image, or None; written apart from the solution."""
    last = None
    for line in text.splitlines():
        m = re.match(r"\s*from\s+(.*)$", line, re.IGNORECASE)
        if m:
            last = [w for w in m.group(1).split() if not w.startswith("--")]
    if not last:
        return None
    ref = last[0]
    if "@" in ref:
        ref = ref[: ref.index("@")]
    component = ref.split("/")[-1]
    if ":" not in component or component.split(":")[0] != "python":
        return None
    m = re.match(r"(\d+\.\d+(\.\d+)?)(-|$)", component.split(":", 1)[1])
    return m.group(1) if m else None


def canonical(manifest):
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()


def utc(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


# ---- running the learner's project ---------------------------------------------------------

def project(dockerfile=None, version=None, model=None):
    """A fresh copy of the work directory, with hidden inputs planted."""
    root = tempfile.mkdtemp(prefix="release-")
    dst = os.path.join(root, "project")
    shutil.copytree(".", dst, ignore=shutil.ignore_patterns(".kaizen", "deploy", ".git"))
    if dockerfile is not None:
        with open(os.path.join(dst, "Dockerfile"), "w") as f:
            f.write(dockerfile)
    if version is not None:
        with open(os.path.join(dst, "VERSION"), "w") as f:
            f.write(version)
    if model is not None:
        with open(os.path.join(dst, "model", "model.json"), "wb") as f:
            f.write(model)
    return dst


def run(cwd, args, epoch=None):
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        proc = subprocess.run(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=20)
    except subprocess.TimeoutExpired:
        return "timeout", ["it did not finish within 20 s"]
    err = [line for line in proc.stderr.decode(errors="replace").splitlines() if line.strip()]
    return proc.returncode, err


def said(err):
    """The most useful line of stderr: the last one that is not make's own summary."""
    mine = [line for line in err if not line.startswith("make:") and not line.startswith("make[")]
    return (mine or err or ["(nothing on stderr)"])[-1].strip()


def build(cwd, name=None, epoch=None, extra=()):
    args = ["make", "--no-print-directory", "image-manifest"]
    if name is not None:
        args.append(f"NAME={name}")
    return run(cwd, args + list(extra), epoch)


def read(cwd, env="dev"):
    path = os.path.join(cwd, "deploy", env, "image.json")
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as f:
        return f.read()


class Fail(Exception):
    pass


def built(cwd, what, **kw):
    """Build, and return the bytes of deploy/dev/image.json; Fail with a reason otherwise."""
    code, err = build(cwd, **kw)
    if code != 0:
        raise Fail(f"{what}: make image-manifest exited with status {code}: {said(err)}")
    data = read(cwd)
    if data is None:
        raise Fail(f"{what}: make image-manifest succeeded but wrote no deploy/dev/image.json")
    try:
        doc = json.loads(data)
    except ValueError:
        raise Fail(f"{what}: deploy/dev/image.json is not valid JSON")
    if not isinstance(doc, dict):
        raise Fail(f"{what}: deploy/dev/image.json must hold a JSON object")
    return data, doc


def expected(model_bytes, dockerfile, version, name, epoch, environment="dev"):
    return {"name": name, "tag": version.strip(), "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
            "python_version": ref_python(dockerfile), "build_time": utc(epoch), "environment": environment}


HINTS = {
    "name": " (the checker runs `make image-manifest NAME=...`: pass $(NAME) on to manifest.py)",
    "tag": " (the version in the VERSION file, without its newline)",
    "model_sha256": " (the SHA-256 of the model file's bytes, as hashlib.sha256(data).hexdigest() gives it)",
    "python_version": " (from the tag of the final FROM's python image)",
    "build_time": " (SOURCE_DATE_EPOCH in UTC, as YYYY-MM-DDTHH:MM:SSZ)",
    "environment": " (a fresh build always lands in dev)",
}


def compare(doc, want, what):
    for key in KEYS:
        if key not in doc:
            raise Fail(f"{what}: the manifest has no {key!r}")
        if doc[key] != want[key]:
            raise Fail(f"{what}: {key} is {json.dumps(doc[key])}, expected {json.dumps(want[key])}{HINTS[key]}")


def test(name, fn):
    try:
        fn()
        report(name, True)
    except Fail as err:
        report(name, False, str(err))


# ---- the scenarios -------------------------------------------------------------------------

def main():
    model = gen("model.json", "rb")
    good = sorted(n for n in os.listdir(GEN) if n.startswith("Dockerfile.good_"))
    bad = sorted(n for n in os.listdir(GEN) if n.startswith("Dockerfile.bad_"))
    docker1 = gen(good[0])
    name, version, epoch = RELEASE["name"], RELEASE["version"], RELEASE["epoch"]

    def hidden_release():
        cwd = project(docker1, version + "\n", model)
        data, doc = built(cwd, "a hidden release", name=name, epoch=epoch)
        want = expected(model, docker1, version, name, epoch)
        compare(doc, want, "a hidden release")
        extra = sorted(set(doc) - set(KEYS))
        if extra:
            raise Fail(f"the manifest has keys the README does not list: {', '.join(extra)}")
        if data != canonical(want):
            raise Fail("the fields are right, but the file is not in the canonical format: "
                       "write it with write_manifest()")

    test("A hidden release: every field of deploy/dev/image.json, in the canonical format", hidden_release)

    def python_versions():
        for n, stem in enumerate(good, start=1):
            text = gen(stem)
            cwd = project(text, version + "\n", model)
            _, doc = built(cwd, f"hidden Dockerfile {n}", name=name, epoch=epoch)
            want = ref_python(text)
            if doc.get("python_version") != want:
                raise Fail(f"hidden Dockerfile {n}: python_version is {json.dumps(doc.get('python_version'))}, "
                           f"expected {json.dumps(want)}: take the last FROM (ignoring comments and "
                           "--options, in any case), and the version at the start of its tag")

    test("python_version comes from the final stage: multi-stage, --platform, digests, comments",
         python_versions)

    def current_time():
        cwd = project()
        _, doc = built(cwd, "without SOURCE_DATE_EPOCH")
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", str(doc.get("build_time"))):
            raise Fail(f"without SOURCE_DATE_EPOCH, build_time is {json.dumps(doc.get('build_time'))}: "
                       "it must be the current UTC time as YYYY-MM-DDTHH:MM:SSZ")

    test("Without SOURCE_DATE_EPOCH, build_time is the current time in UTC", current_time)

    def refuses(what, cwd, **kw):
        code, err = build(cwd, **kw)
        if code == 0:
            raise Fail(f"{what}: make image-manifest must fail, but it exited with status 0")
        if read(cwd) is not None:
            raise Fail(f"{what}: the build failed, but deploy/dev/image.json was written anyway")
        if not [line for line in err if not line.startswith("make")]:
            raise Fail(f"{what}: the build failed without saying why on stderr")

    def bad_dockerfiles():
        reasons = ["FROM python:latest", "FROM python (no tag)", "a final stage that is not a python image",
                   "a python image named through an ARG", "FROM python:slim (a tag without a version)"]
        for n, stem in enumerate(bad):
            refuses(f"a Dockerfile with {reasons[n]}", project(gen(stem)), epoch=epoch)

    test("A final stage that does not pin a python image stops the build", bad_dockerfiles)

    def versions():
        core = version.split("-")[0]
        for text, why in [("latest", "latest"), (f"v{core}", "a leading v"), (core.rsplit(".", 1)[0], "two numbers"),
                          (f"0{core}", "a leading zero"), (f"{core}+build.7", "build metadata (+ is not allowed in an image tag)"),
                          ("", "an empty VERSION file"), (f"{core}-", "an empty pre-release"),
                          (f"{core}.1", "four numbers")]:
            refuses(f"VERSION {json.dumps(text)} ({why})", project(version=text + "\n"), epoch=epoch)
        pre = f"{core}-rc.{RELEASE['epoch'] % 7 + 1}"
        cwd = project(version=pre + "\n")
        _, doc = built(cwd, f"VERSION {pre}", epoch=epoch)
        if doc.get("tag") != pre:
            raise Fail(f"VERSION {pre}: tag is {json.dumps(doc.get('tag'))}, expected {json.dumps(pre)}")

    test("Only MAJOR.MINOR.PATCH[-PRERELEASE] versions become tags; latest never does", versions)

    def names():
        for bad_name in ["Model-API", "-api", "api-", "ml..api", "api_", "api___v2"]:
            refuses(f"NAME={bad_name}", project(), name=bad_name, epoch=epoch)

    test("Names that are not valid image names stop the build", names)

    def epochs():
        for value in ["yesterday", "1.7e9", f"{epoch}.5"]:
            refuses(f"SOURCE_DATE_EPOCH={value}", project(), epoch=value)

    test("A SOURCE_DATE_EPOCH that is not a whole number stops the build", epochs)

    def missing_model():
        refuses("MODEL=model/missing.json", project(), epoch=epoch, extra=["MODEL=model/missing.json"])

    test("A missing model file stops the build", missing_model)

    # promotion: build once, then change everything a rebuild would pick up
    chain = {}

    def promote(cwd, *args, epoch=None):
        return run(cwd, ["bash", "promote.sh", *args], epoch)

    def promoted(cwd, src, dst, before):
        code, err = promote(cwd, src, dst, epoch=RELEASE["epoch2"])
        if code != 0:
            raise Fail(f"`bash promote.sh {src} {dst}` exited with status {code}: {said(err)}")
        data = read(cwd, dst)
        if data is None:
            raise Fail(f"`bash promote.sh {src} {dst}` wrote no deploy/{dst}/image.json")
        if read(cwd, src) != before:
            raise Fail(f"`bash promote.sh {src} {dst}` changed deploy/{src}/image.json: leave it as it is")
        old, new = f'"environment": "{src}"'.encode(), f'"environment": "{dst}"'.encode()
        want = before.replace(old, new, 1)
        if data != want:
            try:
                doc, was = json.loads(data), json.loads(before)
            except ValueError:
                raise Fail(f"deploy/{dst}/image.json is not valid JSON")
            for key in KEYS:
                if key != "environment" and isinstance(doc, dict) and doc.get(key) != was.get(key):
                    raise Fail(f"deploy/{dst}/image.json has {key} {json.dumps(doc.get(key))}, but {src} "
                               f"has {json.dumps(was.get(key))}: promotion must copy the manifest, never "
                               "build again (the checker changed the model, VERSION and "
                               "SOURCE_DATE_EPOCH after the build)")
            if isinstance(doc, dict) and doc.get("environment") != dst:
                raise Fail(f"deploy/{dst}/image.json says environment {json.dumps(doc.get('environment'))}, "
                           f"expected {json.dumps(dst)}")
            raise Fail(f"deploy/{dst}/image.json must be byte for byte deploy/{src}/image.json with only "
                       "the environment changed (same key order, spacing and final newline)")
        return data

    def dev_to_staging():
        cwd = project(docker1, version + "\n", model)
        before, _ = built(cwd, "the release to promote", name=name, epoch=epoch)
        with open(os.path.join(cwd, "model", "model.json"), "wb") as f:
            f.write(gen("model2.json", "rb"))
        with open(os.path.join(cwd, "VERSION"), "w") as f:
            f.write(gen("VERSION2"))
        chain["cwd"], chain["staging"] = cwd, promoted(cwd, "dev", "staging", before)

    test("promote.sh dev staging: the same manifest, only environment changed, nothing rebuilt",
         dev_to_staging)

    def staging_to_prod():
        if "staging" not in chain:
            raise Fail("skipped: promoting dev to staging must work first")
        promoted(chain["cwd"], "staging", "prod", chain["staging"])

    test("promote.sh staging prod: the same again, one step further", staging_to_prod)

    def refusals():
        cwd = project(docker1, version + "\n", model)
        dev, _ = built(cwd, "the release to promote", name=name, epoch=epoch)
        for args, why in [(["dev", "prod"], "skips staging"), (["staging", "dev"], "goes backwards"),
                          (["prod", "staging"], "goes backwards"), (["dev", "qa"], "names an unknown environment"),
                          (["qa", "staging"], "names an unknown environment"), (["dev", "dev"], "goes nowhere"),
                          (["dev"], "has one argument"), ([], "has no arguments"),
                          (["dev", "staging", "prod"], "has three arguments")]:
            code, err = promote(cwd, *args)
            shown = " ".join(["bash promote.sh"] + args)
            if code != 2:
                raise Fail(f"`{shown}` {why}: it must exit with status 2, got {code}")
            if not err:
                raise Fail(f"`{shown}` exits with 2; also say why on stderr")
            for env in ("staging", "prod", "qa"):
                if read(cwd, env) is not None:
                    raise Fail(f"`{shown}` {why}, but deploy/{env}/image.json was written")
            if read(cwd) != dev:
                raise Fail(f"`{shown}` changed deploy/dev/image.json")

    test("Promotions that skip, go backwards or name unknown environments exit with status 2", refusals)

    def missing():
        cwd = project()
        for args in (["dev", "staging"], ["staging", "prod"]):
            code, err = promote(cwd, *args)
            if code != 1:
                raise Fail(f"`bash promote.sh {' '.join(args)}` with no deploy/{args[0]}/image.json must "
                           f"exit with status 1, got {code}")
            if read(cwd, args[1]) is not None:
                raise Fail(f"`bash promote.sh {' '.join(args)}` failed but wrote deploy/{args[1]}/image.json")
        _ = built(cwd, "a dev build", epoch=epoch)
        code, _ = promote(cwd, "staging", "prod")
        if code != 1 or read(cwd, "prod") is not None:
            raise Fail("with only a dev manifest, `bash promote.sh staging prod` must exit with status 1 "
                       f"and write nothing (got status {code})")

    test("Promoting from an environment that has no manifest exits with status 1", missing)


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
