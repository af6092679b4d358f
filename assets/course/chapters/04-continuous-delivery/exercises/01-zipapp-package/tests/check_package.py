"""Build the learner's package in clean copies of the project, with this attempt's models, rows
and versions, and check the archive, its manifest, its predictions and the Makefile's behaviour.

Writes {"tests": [...]} to $KAIZEN_RESULTS. Every build happens in its own copy of the project
(without build/ and dist/), so one broken step does not hide the others.
"""
import hashlib
import io
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.path.abspath(os.environ.get("KAIZEN_GEN", ".kaizen/gen"))
PROJECT = os.getcwd()
SCRATCH = tempfile.mkdtemp(prefix="pkg-")
ARCHIVE = os.path.join("dist", "predictor.pyz")
MODEL = os.path.join("src", "predictor", "model.json")
results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


def gen(name):
    with open(os.path.join(GEN, name), "rb") as f:
        return f.read()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def reference_scores(model_bytes, rows):
    model = json.loads(model_bytes)
    out = []
    for row in rows:
        z = model["bias"] + sum(w * float(row[k]) for k, w in sorted(model["weights"].items()))
        out.append(1.0 / (1.0 + math.exp(-z)))
    return out


class Broken(Exception):
    """The step failed; the message says how, for the learner."""


def last_line(text):
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1].strip()[:200] if lines else "(no output)"


def fresh_copy(label, model="model_a.json", version=True):
    """A copy of the project with this attempt's model (and VERSION file) and no build output."""
    dest = os.path.join(SCRATCH, label)
    shutil.copytree(PROJECT, dest, ignore=shutil.ignore_patterns(
        ".kaizen", ".git", "build", "dist", "__pycache__", ".venv", "venv"))
    if model:
        with open(os.path.join(dest, MODEL), "wb") as f:
            f.write(gen(model))
    if version:
        with open(os.path.join(dest, "VERSION"), "wb") as f:
            f.write(gen("version.txt"))
    return dest


def make(project, *args, timeout=30):
    try:
        return subprocess.run(["make", *args], cwd=project, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Broken(f"`make {' '.join(args)}` did not finish within {timeout} s")


def build(project, *args):
    proc = make(project, "package", *args)
    what = "make package" + "".join(" " + a for a in args)
    if proc.returncode != 0:
        raise Broken(f"`{what}` failed (exit {proc.returncode}): {last_line(proc.stdout)}")
    if not os.path.isfile(os.path.join(project, ARCHIVE)):
        raise Broken(f"`{what}` succeeded but did not create dist/predictor.pyz")
    return os.path.join(project, ARCHIVE)


def run_archive(archive, *args, cwd):
    try:
        proc = subprocess.run([sys.executable, archive, *args], cwd=cwd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        raise Broken(f"`python3 predictor.pyz {' '.join(args)}` did not finish within 20 s")
    if proc.returncode != 0:
        why = last_line(proc.stderr)
        hint = ""
        if "No such file" in why and ("model.json" in why or "MANIFEST.json" in why):
            hint = (": inside the archive there is no current directory to open files from; "
                    "read bundled files with pkgutil.get_data(__name__, name)")
        raise Broken(f"`python3 predictor.pyz {' '.join(args)}` exited with status "
                     f"{proc.returncode}: {why}{hint}")
    return proc.stdout


def read_manifest(archive):
    try:
        with zipfile.ZipFile(archive) as z:
            return json.loads(z.read("MANIFEST.json"))
    except KeyError:
        raise Broken("dist/predictor.pyz has no MANIFEST.json at its top level")
    except (zipfile.BadZipFile, ValueError) as err:
        raise Broken(f"cannot read MANIFEST.json from dist/predictor.pyz: {err}")


def test(name):
    """Run the decorated function as one test; Broken becomes a fail with its message."""
    def wrap(fn):
        try:
            message = fn()
        except Broken as err:
            message = str(err)
        except Exception as err:  # noqa: BLE001  a bug here must not hide the other tests
            message = f"the checker could not finish this test ({type(err).__name__}: {err})"
        report(name, not message, message or "")
        return fn
    return wrap


version = gen("version.txt").decode().strip()
override = gen("override.txt").decode().strip()
bad_version = gen("bad_version.txt").decode().strip()
model_a, model_b = gen("model_a.json"), gen("model_b.json")
rows = json.loads(gen("rows.json"))


def main():
    project = fresh_copy("main")
    try:
        archive = build(project)
        build_error = ""
    except Broken as err:
        archive, build_error = None, str(err)

    @test("The archive holds __main__.py, model.json and MANIFEST.json, and nothing else")
    def _contents():
        if build_error:
            return build_error
        try:
            with zipfile.ZipFile(archive) as z:
                names = sorted(z.namelist())
        except zipfile.BadZipFile:
            return "dist/predictor.pyz is not a zip archive: build it with `python3 -m zipapp`"
        want = ["MANIFEST.json", "__main__.py", "model.json"]
        missing = [n for n in want if n not in names]
        extra = [n for n in names if n not in want]
        if missing:
            return (f"the archive lacks {', '.join(missing)} at its top level (it holds "
                    f"{', '.join(names[:6]) or 'nothing'}): zip the contents of the build folder")
        if extra:
            return (f"the archive also holds {', '.join(extra[:4])}: ship only the three files "
                    "(no caches, no build leftovers)")
        with zipfile.ZipFile(archive) as z:
            if z.read("model.json") != model_a:
                return ("the model.json inside the archive is not src/predictor/model.json: "
                        "package the current model")
        return ""

    @test("MANIFEST.json records the version, the model's SHA-256 and the Python version")
    def _manifest():
        if build_error:
            return build_error
        m = read_manifest(archive)
        if not isinstance(m, dict):
            return "MANIFEST.json must hold a JSON object"
        want = {"name": "predictor", "version": version, "model_sha256": sha256(model_a),
                "python": platform.python_version()}
        for key in ("name", "version", "model_sha256", "python"):
            if m.get(key) != want[key]:
                hint = {
                    "version": " (the VERSION file's content, without the newline)",
                    "model_sha256": " (hashlib.sha256 of model.json's bytes, .hexdigest())",
                    "python": " (platform.python_version())",
                }.get(key, "")
                return f"\"{key}\" is {m.get(key)!r}, expected {want[key]!r}{hint}"
        extra = sorted(set(m) - set(want))
        if extra:
            return (f"MANIFEST.json has extra keys {', '.join(extra)}: keep exactly name, version, "
                    "model_sha256 and python (a build time would make every build different)")
        return ""

    @test("The archive runs from another directory and gives the reference scores")
    def _scores():
        if build_error:
            return build_error
        elsewhere = os.path.join(SCRATCH, "elsewhere")
        os.makedirs(elsewhere, exist_ok=True)
        with open(os.path.join(elsewhere, "input.json"), "wb") as f:
            f.write(gen("rows.json"))
        out = run_archive(os.path.abspath(archive), "--input", "input.json", cwd=elsewhere)
        got = out.split()
        want = reference_scores(model_a, rows)
        if len(got) != len(want):
            return f"printed {len(got)} values for {len(want)} rows: print one score per line"
        for i, (g, w) in enumerate(zip(got, want), start=1):
            try:
                value = float(g)
            except ValueError:
                return f"line {i} is not a number"
            if abs(value - w) > 0.00011 or len(g.split(".")[-1]) != 4:
                return f"row {i}: printed {g}, expected {w:.4f}"
        return ""

    @test("--version prints the version and the first 12 digits of the model hash")
    def _version():
        if build_error:
            return build_error
        out = run_archive(os.path.abspath(archive), "--version", cwd=SCRATCH).strip()
        want = f"{version} {sha256(model_a)[:12]}"
        return "" if out == want else f"--version printed {out[:80]!r}, expected {want!r}"

    @test("A second make package with nothing changed leaves the archive alone")
    def _incremental():
        if build_error:
            return build_error
        before = os.stat(archive).st_mtime_ns
        time.sleep(0.05)
        build(project)
        if os.stat(archive).st_mtime_ns != before:
            return ("the second `make package` rebuilt dist/predictor.pyz although no source "
                    "changed: make `package` depend on a file target, dist/predictor.pyz, whose "
                    "prerequisites are the files it is built from")
        return ""

    @test("make package rebuilds after the model changes")
    def _rebuild():
        if build_error:
            return build_error
        time.sleep(0.05)
        with open(os.path.join(project, MODEL), "wb") as f:
            f.write(model_b)
        a = build(project)
        m = read_manifest(a)
        if m.get("model_sha256") != sha256(model_b):
            return ("after src/predictor/model.json changed, `make package` kept the old model: "
                    "list the model (and the code) as prerequisites of dist/predictor.pyz")
        with zipfile.ZipFile(a) as z:
            if z.read("model.json") != model_b:
                return "after the model changed, the archive still holds the old model.json"
        return ""

    @test("make package VERSION=... builds that version instead of the VERSION file's")
    def _override():
        p = fresh_copy("override")
        a = build(p, f"VERSION={override}")
        got = read_manifest(a).get("version")
        if got != override:
            return (f"after `make package VERSION={override}`, the manifest says version "
                    f"{got!r}: use `VERSION ?= ...` and pass $(VERSION) to tools/manifest.py")
        out = run_archive(os.path.abspath(a), "--version", cwd=SCRATCH).strip()
        if not out.startswith(override + " "):
            return f"--version printed {out[:80]!r} after building {override}"
        return ""

    @test("Two clean builds of the same sources give byte-identical archives")
    def _reproducible():
        p = fresh_copy("repro")
        first = build(p)
        with open(first, "rb") as f:
            one = f.read()
        # zip stores each file's time (in 2-second steps): files stamped at build time make
        # builds differ. Rather than wait, look at the stamps, then build again.
        day_ago = time.localtime(time.time() - 86400)[:6]
        with zipfile.ZipFile(io.BytesIO(one)) as z:
            fresh = [i.filename for i in z.infolist() if i.date_time > day_ago]
        if fresh:
            return (f"{fresh[0]} carries a recent time (when it was built or copied), so the "
                    "next build will differ: set every file in the build folder to one fixed "
                    "time before zipping, such as `touch -t 198001020000 build/app/*`")
        now = time.time()
        for root, _, files in os.walk(os.path.join(p, "src")):
            for name in files:
                os.utime(os.path.join(root, name), (now, now))
        shutil.rmtree(os.path.join(p, "build"), ignore_errors=True)
        shutil.rmtree(os.path.join(p, "dist"), ignore_errors=True)
        with open(build(p), "rb") as f:
            two = f.read()
        if one == two:
            return ""
        if len(one) != len(two):
            return ("the two archives differ in size: is something in the manifest (such as a "
                    "build time) different each time?")
        z1, z2 = zipfile.ZipFile(io.BytesIO(one)), zipfile.ZipFile(io.BytesIO(two))
        for i1, i2 in zip(z1.infolist(), z2.infolist()):
            if i1.filename != i2.filename:
                return "the two archives list their files in a different order"
            if i1.date_time != i2.date_time:
                return (f"{i1.filename} has a different timestamp in each build: set every file "
                        "in the build folder to one fixed time before zipping")
            if z1.read(i1) != z2.read(i2):
                return f"{i1.filename} has different content in each build"
        return "the two archives differ (file modes or zip headers): build both the same way"

    @test("make package refuses a version that is not MAJOR.MINOR.PATCH")
    def _bad_version():
        p = fresh_copy("bad")
        proc = make(p, "package", f"VERSION={bad_version}")
        if proc.returncode == 0:
            return (f"`make package VERSION={bad_version}` succeeded: tools/manifest.py must exit "
                    "with status 2 for such a version, and make must stop on it")
        if os.path.exists(os.path.join(p, ARCHIVE)):
            return (f"`make package VERSION={bad_version}` failed but left dist/predictor.pyz "
                    "behind: write the manifest before building the archive")
        return ""

    @test("make clean removes build/ and dist/")
    def _clean():
        if build_error:
            return build_error
        proc = make(project, "clean")
        if proc.returncode != 0:
            return f"`make clean` failed: {last_line(proc.stdout)}"
        left = [d for d in ("build", "dist") if os.path.exists(os.path.join(project, d))]
        return f"after `make clean`, {' and '.join(left)} still exist(s)" if left else ""


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
        shutil.rmtree(SCRATCH, ignore_errors=True)
