"""Run the learner's workflow locally, the way a GitHub-hosted runner would run its `run:` steps.

kaizen converts .github/workflows/ci.yml to JSON before the checks (exercise.yaml lists it in
yaml_to_json), because Python's standard library has no YAML parser. This script runs the `run:`
steps of every job, in order, in three copies of the project:

1. as it is, plus a passing test that leaves a marker file: the workflow must pass and the marker
   must exist (so `make test` really ran the tests)
2. plus a failing test: the workflow must fail
3. plus a Python file with a lint problem: the workflow must fail

`uses:` steps are skipped (the code is already checked out and python3 is on PATH). A step's
`continue-on-error: true` is honoured, as GitHub does. Results go to $KAIZEN_RESULTS.
"""
import glob
import json
import os
import shutil
import subprocess
import tempfile

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
WORKFLOW = os.path.join(os.environ.get("KAIZEN_JSON", ".kaizen/json"), ".github/workflows/ci.yml.json")
STEP_TIMEOUT = 20
IGNORE = shutil.ignore_patterns(".kaizen", ".git", ".venv", "venv", "__pycache__")

results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


def finish():
    with open(RESULTS, "w") as f:
        json.dump({"tests": results}, f)


def scalar_env(mapping):
    env = {}
    if isinstance(mapping, dict):
        for key, value in mapping.items():
            if isinstance(value, bool):
                env[str(key)] = "true" if value else "false"
            elif isinstance(value, (str, int, float)):
                env[str(key)] = str(value)
    return env


def run_steps(workflow, project):
    """Run every job's run steps; return (passed, description of the first failure)."""
    base_env = dict(os.environ)
    base_env.update(scalar_env(workflow.get("env")))
    ran = 0
    for job_id, job in workflow["jobs"].items():
        if not isinstance(job, dict):
            return False, f"job {job_id!r} is not a mapping"
        job_env = dict(base_env)
        job_env.update(scalar_env(job.get("env")))
        for index, step in enumerate(job.get("steps") or [], start=1):
            if not isinstance(step, dict) or "run" not in step:
                continue
            label = step.get("name") or f"step {index}"
            env = dict(job_env)
            env.update(scalar_env(step.get("env")))
            cwd = os.path.join(project, str(step.get("working-directory", ".")))
            command = str(step["run"])
            ran += 1
            try:
                proc = subprocess.run(
                    ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
                    cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                    timeout=STEP_TIMEOUT,
                )
                code = proc.returncode
            except subprocess.TimeoutExpired:
                code = "timeout"
            except OSError as err:
                code = str(err)
            if code != 0 and step.get("continue-on-error") is not True:
                return False, f"job {job_id!r}, {label!r} (`{command.strip()}`) failed ({code})"
    if ran == 0:
        return False, "the workflow has no `run:` steps"
    return True, ""


def project_copy(extra):
    tmp = tempfile.mkdtemp(prefix="wf-")
    project = os.path.join(tmp, "project")
    shutil.copytree(".", project, ignore=IGNORE)
    for path in extra:
        shutil.copy(path, project)
    return project


def main():
    try:
        with open(WORKFLOW) as f:
            workflow = json.load(f)
    except (OSError, ValueError):
        workflow = None
    names = [
        "The workflow passes on the project and runs its tests",
        "The workflow fails when a test fails",
        "The workflow fails when lint finds a problem",
    ]
    if not isinstance(workflow, dict) or not isinstance(workflow.get("jobs"), dict) or not workflow["jobs"]:
        for name in names:
            report(name, False, ".github/workflows/ci.yml is missing, is not valid YAML, or has no jobs")
        return
    word = open(os.path.join(GEN, "word.txt")).read().strip()

    project = project_copy(glob.glob(os.path.join(GEN, "test_sentinel_*.py")))
    passed, why = run_steps(workflow, project)
    if not passed:
        report(names[0], False, "On the unchanged project the workflow failed: " + why)
    elif not os.path.exists(os.path.join(project, f"sentinel-{word}.txt")):
        report(names[0], False, "The workflow passed but never ran the project's tests: "
               "is there a step that runs `make test`?")
    else:
        report(names[0], True)

    project = project_copy(glob.glob(os.path.join(GEN, "test_broken_*.py")))
    passed, _ = run_steps(workflow, project)
    report(names[1], not passed, "The checker added a failing test and the workflow still passed. "
           "Run `make test` as a step, and do not hide its failure.")

    project = project_copy(glob.glob(os.path.join(GEN, "lint_*.py")))
    passed, _ = run_steps(workflow, project)
    report(names[2], not passed, "The checker added a file with a lint problem and the workflow "
           "still passed. Run `make lint` as a step, and do not hide its failure.")


if __name__ == "__main__":
    try:
        main()
    finally:
        finish()
