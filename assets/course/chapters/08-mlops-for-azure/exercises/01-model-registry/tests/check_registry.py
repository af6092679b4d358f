"""Run the learner's registry.py through this attempt's scenario and write $KAIZEN_RESULTS.

Every test uses its own registry directory. Tests of get, list and promote plant versions
directly in the documented on-disk layout (NAME/VERSION/meta.json), so each test depends only
on the command it is about.
"""
import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
WORK = "check-registries"
results = []


class Fail(Exception):
    pass


def sha(data):
    return hashlib.sha256(data).hexdigest()


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def fresh_root(label):
    root = os.path.join(WORK, label, "registry")
    shutil.rmtree(os.path.join(WORK, label), ignore_errors=True)
    os.makedirs(os.path.dirname(root))
    return root


def run(root, *args):
    cmd = [sys.executable, "registry.py", "--root", root, *args]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=15)
    except subprocess.TimeoutExpired:
        raise Fail(f"`registry.py {args[0]}` did not finish within 15 s")
    return proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")


def last_line(text):
    lines = text.strip().splitlines()
    return lines[-1] if lines else "(no error output)"


def run_json(root, *args):
    code, out, err = run(root, *args)
    if code != 0:
        raise Fail(f"`registry.py {args[0]}` exited with status {code}: {last_line(err)}")
    try:
        return json.loads(out)
    except ValueError:
        raise Fail(f"`registry.py {args[0]}` did not print JSON on stdout")


def expect_dict(value, what):
    if not isinstance(value, dict):
        raise Fail(f"{what} must print a JSON object, got {type(value).__name__}")
    return value


def plant(root, name, version, data, stage="none", filename="model.bin", meta=True, tags=None):
    folder = os.path.join(root, name, str(version))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, filename), "wb") as f:
        f.write(data)
    if meta:
        record = {"name": name, "version": version, "file": filename, "sha256": sha(data),
                  "size": len(data), "tags": tags or {}, "stage": stage}
        with open(os.path.join(folder, "meta.json"), "w") as f:
            json.dump(record, f)


def read_meta(root, name, version):
    path = os.path.join(root, name, str(version), "meta.json")
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        raise Fail(f"{name}/{version}/meta.json was not written")
    except ValueError:
        raise Fail(f"{name}/{version}/meta.json is not valid JSON")


def listing(root):
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            found.append(os.path.relpath(os.path.join(dirpath, fn), root))
        for d in dirnames:
            found.append(os.path.relpath(os.path.join(dirpath, d), root) + "/")
    return found


def content(i, salt):
    return json.dumps({"planted": i, "salt": salt}).encode()


# ---- the tests ---------------------------------------------------------------------------

def t_register_new(s):
    root = fresh_root("new")
    name, fname = s["names"][0], s["files"]["first"]
    src = os.path.join(GEN, fname)
    data = read_bytes(src)
    args = ["register", "--name", name, "--path", src]
    for k, v in s["tags"].items():
        args += ["--tag", f"{k}={v}"]
    got = expect_dict(run_json(root, *args), "register")
    for key, want in (("name", name), ("version", 1), ("sha256", sha(data)), ("created", True)):
        if got.get(key) != want:
            raise Fail(f'register printed "{key}": {got.get(key)!r}, expected {want!r}')
    stored = os.path.join(root, name, "1", fname)
    if not os.path.isfile(stored):
        raise Fail(f"the model was not copied to REGISTRY/{name}/1/ under its own file name")
    if read_bytes(stored) != data:
        raise Fail(f"REGISTRY/{name}/1/{fname} does not hold the same bytes as the file registered")
    meta = expect_dict(read_meta(root, name, 1), "meta.json")
    want = {"name": name, "version": 1, "file": fname, "sha256": sha(data), "size": len(data),
            "tags": s["tags"], "stage": "none"}
    for key, value in want.items():
        if meta.get(key) != value:
            hint = " (split each --tag at its first '=')" if key == "tags" else ""
            raise Fail(f'meta.json has "{key}": {meta.get(key)!r}, expected {value!r}{hint}')


def t_register_next(s):
    root = fresh_root("next")
    name = s["names"][0]
    a, b = (os.path.join(GEN, s["files"][k]) for k in ("first", "second"))
    run_json(root, "register", "--name", name, "--path", a)
    got = expect_dict(run_json(root, "register", "--name", name, "--path", b), "register")
    if got.get("version") != 2 or got.get("created") is not True:
        raise Fail(f"registering different bytes under the same name gave version {got.get('version')!r} "
                   f"and created {got.get('created')!r}, expected 2 and true")
    if read_meta(root, name, 2).get("sha256") != sha(read_bytes(b)):
        raise Fail(f"{name}/2/meta.json does not hold the SHA-256 of the second file")
    other = s["names"][1]
    got = expect_dict(run_json(root, "register", "--name", other, "--path", b), "register")
    if got.get("version") != 1:
        raise Fail(f"the first version of a different name is {got.get('version')!r}, expected 1: "
                   "each name counts its own versions")


def t_register_same(s):
    root = fresh_root("same")
    name = s["names"][0]
    a, b, copy = (os.path.join(GEN, s["files"][k]) for k in ("first", "second", "first_copy"))
    run_json(root, "register", "--name", name, "--path", a)
    run_json(root, "register", "--name", name, "--path", b)
    before = listing(root)
    got = expect_dict(run_json(root, "register", "--name", name, "--path", copy), "register")
    if got.get("version") != 1 or got.get("created") is not False:
        raise Fail(f"re-registering the bytes of version 1 (from another path) gave version "
                   f"{got.get('version')!r} and created {got.get('created')!r}, expected 1 and false")
    after = listing(root)
    if after != before:
        new = sorted(set(after) - set(before))
        raise Fail("re-registering identical bytes changed the registry"
                   + (f" (new: {new[0]})" if new else ""))


def t_numeric(s):
    root = fresh_root("numeric")
    name, many = s["names"][2], s["many"]
    for v in range(1, many + 1):
        plant(root, name, v, content(v, name))
    src = os.path.join(GEN, s["files"]["third"])
    got = expect_dict(run_json(root, "register", "--name", name, "--path", src), "register")
    if got.get("version") != many + 1:
        raise Fail(f"with versions 1 to {many} registered, a new file got version {got.get('version')!r}, "
                   f"expected {many + 1}: compare version numbers as integers, not as text")


def t_unfinished(s):
    root = fresh_root("unfinished")
    name = s["names"][3]
    plant(root, name, 1, content(1, name))
    plant(root, name, 2, content(2, name))
    plant(root, name, 3, b"half a mod", meta=False, filename="partial.bin")
    src = os.path.join(GEN, s["files"]["fourth"])
    code, out, err = run(root, "register", "--name", name, "--path", src)
    if code != 0:
        raise Fail(f"with a version directory left without meta.json, register exited with status {code}: "
                   f"{last_line(err)}")
    try:
        got = json.loads(out)
    except ValueError:
        raise Fail("register did not print JSON on stdout")
    if not isinstance(got, dict) or got.get("version") != 3:
        raise Fail(f"directory 3 has no meta.json (an unfinished registration), so the new file should "
                   f"become version 3, got {got.get('version') if isinstance(got, dict) else got!r}")
    meta = read_meta(root, name, 3)
    if meta.get("sha256") != sha(read_bytes(src)):
        raise Fail(f"{name}/3/meta.json does not describe the new file")


def plant_staged(root, s):
    name, many = s["names"][4], s["many"]
    for v in range(1, many + 1):
        stage = "none"
        if v == s["stages"]["production"]:
            stage = "production"
        elif v == s["stages"]["staging"]:
            stage = "staging"
        elif v < s["stages"]["production"]:
            stage = "archived"
        plant(root, name, v, content(v, "staged"), stage=stage, filename=f"m{v}.json",
              tags={"run": str(1000 + v)})
    return name, many


def t_get(s):
    root = fresh_root("get")
    name, many = plant_staged(root, s)
    prod, stag = s["stages"]["production"], s["stages"]["staging"]
    for spec, want in (("latest", many), (str(prod + 1), prod + 1), ("production", prod), ("staging", stag)):
        got = expect_dict(run_json(root, "get", "--name", name, "--version", spec), "get")
        if got.get("version") != want:
            raise Fail(f"get --version {spec} gave version {got.get('version')!r}, expected {want}"
                       + (": compare versions as integers" if spec == "latest" else ""))
        if got.get("sha256") != sha(content(want, "staged")) or got.get("tags") != {"run": str(1000 + want)}:
            raise Fail(f"get --version {spec} did not print that version's meta.json fields")
        path = got.get("path")
        if not isinstance(path, str) or not os.path.isfile(path) or sha(read_bytes(path)) != got["sha256"]:
            raise Fail(f'get --version {spec}: "path" must name the stored model file, got {path!r}')


def t_missing(s):
    root = fresh_root("missing")
    name, many = plant_staged(root, s)
    other = s["names"][0]
    for args, what in (
        (["get", "--name", other, "--version", "latest"], "get of a name that was never registered"),
        (["get", "--name", name, "--version", str(many + 5)], "get of a version that does not exist"),
        (["promote", "--name", name, "--version", str(many + 1), "--stage", "staging"],
         "promote of a version that does not exist"),
    ):
        code, _, _ = run(root, *args)
        if code != 4:
            raise Fail(f"{what} must exit with status 4, got {code}")
    empty = fresh_root("missing-stage")
    plant(empty, name, 1, content(1, "x"))
    code, _, _ = run(empty, "get", "--name", name, "--version", "production")
    if code != 4:
        raise Fail(f"get --version production when no version is in production must exit 4, got {code}")


def t_promote(s):
    root = fresh_root("promote")
    name, many = plant_staged(root, s)
    prod, stag = s["stages"]["production"], s["stages"]["staging"]
    got = expect_dict(run_json(root, "promote", "--name", name, "--version", "staging",
                               "--stage", "production"), "promote")
    if got.get("version") != stag or got.get("stage") != "production" or got.get("archived") != [prod]:
        raise Fail(f"promoting the staging version ({stag}) to production printed version "
                   f"{got.get('version')!r}, stage {got.get('stage')!r}, archived {got.get('archived')!r}; "
                   f"expected {stag}, 'production', [{prod}]")
    stages = {v: read_meta(root, name, v).get("stage") for v in range(1, many + 1)}
    if stages[stag] != "production":
        raise Fail(f"after the promotion, version {stag}'s meta.json has stage {stages[stag]!r}, expected 'production'")
    if stages[prod] != "archived":
        raise Fail(f"the previous production version ({prod}) has stage {stages[prod]!r}, expected 'archived': "
                   "only one version of a name may be in production")
    if sum(1 for st in stages.values() if st == "production") != 1:
        raise Fail("more than one version is in production")
    untouched = [v for v in range(1, many + 1) if v not in (prod, stag)]
    for v in untouched:
        want = "archived" if v < prod else "none"
        if stages[v] != want:
            raise Fail(f"version {v} was not involved but its stage changed to {stages[v]!r}")
    got = expect_dict(run_json(root, "promote", "--name", name, "--version", "latest", "--stage", "staging"), "promote")
    if got.get("version") != many or got.get("archived") != []:
        raise Fail(f"promoting latest to staging (nothing in staging now) printed version "
                   f"{got.get('version')!r} and archived {got.get('archived')!r}, expected {many} and []")
    got = expect_dict(run_json(root, "get", "--name", name, "--version", "production"), "get")
    if got.get("version") != stag:
        raise Fail(f"after the promotions, get --version production gave {got.get('version')!r}, expected {stag}")


def t_list(s):
    root = fresh_root("list")
    second, first = sorted(s["names"][:2], reverse=True)
    for v in (1, 2):
        plant(root, second, v, content(v, second))
    for v in range(1, s["many"] + 1):
        plant(root, first, v, content(v, first))
    os.makedirs(os.path.join(root, first, str(s["many"] + 1)))  # unfinished: must not be listed
    got = run_json(root, "list")
    want = [(first, v) for v in range(1, s["many"] + 1)] + [(second, 1), (second, 2)]
    if not isinstance(got, list) or not all(isinstance(m, dict) for m in got):
        raise Fail("list must print a JSON array of meta.json objects")
    pairs = [(m.get("name"), m.get("version")) for m in got]
    if pairs != want:
        if sorted(pairs, key=str) == sorted(want, key=str):
            raise Fail("list has the right versions in the wrong order: sort by name, then by version as a number")
        raise Fail(f"list printed {len(pairs)} versions, expected {len(want)} (a directory without meta.json "
                   "is not a version)")
    for m in got:
        if m.get("sha256") != sha(content(m["version"], m["name"])):
            raise Fail("list must print each version's meta.json as stored")
    got = run_json(root, "list", "--name", second)
    if not isinstance(got, list) or [(m.get("name"), m.get("version")) for m in got if isinstance(m, dict)] != [(second, 1), (second, 2)]:
        raise Fail("list --name NAME must print only that name's versions")


def t_bad_names(s):
    src = os.path.join(GEN, s["files"]["fifth"])
    for bad in s["bad_names"]:
        root = fresh_root("badname")
        code, _, _ = run(root, "register", "--name", bad, "--path", src)
        shown = repr(bad) if bad else "an empty name"
        if code != 2:
            raise Fail(f"register --name {shown} must be refused with exit status 2, got {code}")
        written = [p for p in listing(os.path.dirname(root)) if p != "registry/"]
        if written:
            raise Fail(f"register --name {shown} wrote files although the name was refused")


def t_bad_input(s):
    root = fresh_root("badinput")
    name = s["names"][1]
    src = os.path.join(GEN, s["files"]["fifth"])
    code, _, _ = run(root, "register", "--name", name, "--path", src, "--tag", "no-equals-sign")
    if code != 2:
        raise Fail(f"a --tag without '=' must exit with status 2, got {code}")
    code, _, err = run(root, "register", "--name", name, "--path", os.path.join(GEN, "no-such-model.bin"))
    if code != 2:
        raise Fail(f"registering a file that does not exist must exit with status 2, got {code}")
    if os.path.isdir(root) and listing(root):
        raise Fail("a refused registration left files in the registry")


def calls_atomic_rename(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr = node.func.attr
            if attr == "move" and isinstance(node.func.value, ast.Name) and node.func.value.id == "shutil":
                return True  # shutil.move renames within one file system
            if attr in ("replace", "rename"):
                if isinstance(node.func.value, ast.Name) and node.func.value.id == "os":
                    return True
                if len(node.args) == 1 and not node.keywords:  # Path.replace(target), not str.replace(a, b)
                    return True
    return False


def t_atomic(s):
    try:
        with open("registry.py") as f:
            tree = ast.parse(f.read(), "registry.py")
    except SyntaxError as err:
        raise Fail(f"registry.py cannot be parsed: {err}")
    if not calls_atomic_rename(tree):
        raise Fail("write meta.json to a temporary file next to it, then os.replace() it into place, "
                   "so a crash never leaves half a meta.json")
    leftovers = [p for p in listing(WORK) if p.endswith(".tmp")]
    if leftovers:
        raise Fail(f"a temporary file was left behind: {leftovers[0]}")


TESTS = [
    ("Registering a model creates version 1: a copy of the file and a complete meta.json", t_register_new),
    ("Different bytes under the same name become the next version", t_register_next),
    ("Identical bytes return the existing version and store nothing", t_register_same),
    ("Versions are numbers: after 10 comes 11, not 2", t_numeric),
    ("A version directory without meta.json is unfinished: its number is reused", t_unfinished),
    ("get resolves latest, a pinned number, staging and production", t_get),
    ("A missing name, version or stage exits with status 4", t_missing),
    ("Promotion archives the version that held the stage before", t_promote),
    ("list prints every version, sorted by name and then version", t_list),
    ("Names that could escape the registry are refused with status 2", t_bad_names),
    ("A bad --tag or a missing file exits with status 2 and stores nothing", t_bad_input),
    ("meta.json is written atomically (temporary file, then os.replace)", t_atomic),
]


def main():
    with open(os.path.join(GEN, "scenario.json")) as f:
        scenario = json.load(f)
    for name, test in TESTS:
        try:
            test(scenario)
            results.append({"name": name, "status": "pass"})
        except Fail as err:
            results.append({"name": name, "status": "fail", "message": str(err)})
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as err:
            results.append({"name": name, "status": "fail",
                            "message": f"the registry's output or files were not as documented ({type(err).__name__})"})


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
