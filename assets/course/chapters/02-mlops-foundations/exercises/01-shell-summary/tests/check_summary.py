"""Run the learner's summarize.sh on this attempt's hidden exports and compare with a reference.

The reference below is written in Python on purpose: a second, independent implementation.
Writes {"tests": [...]} to $KAIZEN_RESULTS; messages say what differs without dumping the files.
"""
import json
import os
import subprocess

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


def reference(path):
    with open(path, newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header, rows = lines[0].split("\t"), [line.split("\t") for line in lines[1:]]
    a, s = header.index("athlete"), header.index("sport")
    counts = {}
    for row in rows:
        counts[row[s]] = counts.get(row[s], 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].encode()))[:3]
    sample = path[:-4] + ".sample.tsv" if path.endswith(".tsv") else path + ".sample.tsv"
    expected = [["rows", str(len(rows))], ["athletes", str(len({r[a] for r in rows}))]]
    expected += [["sport", name, str(n)] for name, n in top]
    expected += [["sample", sample]]
    sample_text = "".join(line + "\n" for line in [lines[0]] + lines[1:][::10])
    return expected, sample, sample_text


class RunError(Exception):
    pass


def run(path):
    try:
        proc = subprocess.run(["bash", "summarize.sh", path], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=20)
    except subprocess.TimeoutExpired:
        raise RunError("summarize.sh did not finish within 20 s")
    out = proc.stdout.decode(errors="replace")
    err = proc.stderr.decode(errors="replace").strip().splitlines()
    return proc.returncode, [line.split("\t") for line in out.splitlines() if line.strip()], err


def run_ok(path):
    code, lines, err = run(path)
    if code != 0:
        said = f": {err[-1]}" if err else " (nothing on stderr)"
        raise RunError(f"summarize.sh exited with status {code} on a valid file{said}")
    return lines


def field(lines, key):
    for parts in lines:
        if parts and parts[0] == key:
            return parts
    return None


def show(lines):
    return "; ".join(" ".join(p[1:]) for p in lines) or "nothing"


def count_lines(lines):
    return [p for p in lines if p[0] in ("rows", "athletes")]


def describe_difference(got, want):
    """One sentence about the first line that differs."""
    for key in ("rows", "athletes"):
        g, w = field(got, key), field(want, key)
        if g != w:
            if g is None:
                return f'there is no line "{key}<TAB>N"'
            hint = ""
            if len(g) == 2 and g[1].strip().isdigit() and int(g[1]) == int(w[1]) + 1:
                hint = " (is the header counted?)"
            return f"{key} is {' '.join(g[1:])!r}, expected {w[1]}{hint}"
    g_sports = [p for p in got if p and p[0] == "sport"]
    w_sports = [p for p in want if p[0] == "sport"]
    if g_sports != w_sports:
        return (f"the sport lines are {show(g_sports)}, expected {show(w_sports)} "
                "(most posts first, ties by name, at most three)")
    g, w = field(got, "sample"), field(want, "sample")
    if g != w:
        return f"the sample line is {' '.join(g[1:]) if g else 'missing'!r}, expected {w[1]!r}"
    if got != want:
        return ("the lines are right but not in the expected order or there are extra lines: "
                "rows, athletes, the sport lines, then sample")
    return ""


def main():
    export = os.path.join(GEN, "export.tsv")
    want, sample, sample_text = reference(export)
    names = {
        "counts": "Hidden export: rows and distinct athletes",
        "top": "Hidden export: the top 3 sports, ties broken by name",
        "sample": "Hidden export: the 10% sample holds the header and rows 1, 11, 21, ...",
    }
    try:
        got = run_ok(export)
        msg = describe_difference(count_lines(got), count_lines(want))
        report(names["counts"], not msg, msg)
        g_sports = [p for p in got if p and p[0] == "sport"]
        w_sports = [p for p in want if p[0] == "sport"]
        report(names["top"], g_sports == w_sports,
               f"the sport lines are {show(g_sports)}, expected {show(w_sports)}: sort by count, "
               "biggest first, then by name (sort -k1,1nr -k2,2 with LC_ALL=C)")
        msg = ""
        if field(got, "sample") != field(want, "sample"):
            g = field(got, "sample")
            msg = (f"the sample line says {' '.join(g[1:])!r}" if g else "there is no sample line") + \
                  f", expected {sample!r}: the input path with .tsv replaced by .sample.tsv"
        elif not os.path.isfile(sample):
            msg = f"{sample} was not written"
        else:
            with open(sample, newline="") as f:
                text = f.read()
            if text != sample_text:
                got_lines, want_lines = text.splitlines(), sample_text.splitlines()
                if not got_lines or got_lines[0] != want_lines[0]:
                    msg = "the sample must start with the header line"
                elif len(got_lines) != len(want_lines):
                    msg = (f"the sample has {len(got_lines) - 1} data rows, expected "
                           f"{len(want_lines) - 1} (data rows 1, 11, 21, ... after the header)")
                else:
                    bad = next(i for i, (g, w) in enumerate(zip(got_lines, want_lines)) if g != w)
                    msg = (f"sample row {bad} should be data row {(bad - 1) * 10 + 1} of the export "
                           "(awk 'NR % 10 == 1' after removing the header)")
        report(names["sample"], not msg, msg)
    except RunError as err:
        for name in names.values():
            report(name, False, str(err))

    # (name, file, a note for the learner, when to add it: "always", "rows" when the row count
    # is wrong or the script failed, "error" only when the script failed)
    for name, path, note, when in [
        ("Columns are found by their names in the header, in any order",
         os.path.join(GEN, "reordered.tsv"), "Here athlete and sport are not columns 2 and 3.", "always"),
        ("A path with spaces in it works", os.path.join(GEN, "team exports", "posts 2024.tsv"),
         'This path has spaces in it: quote every "$file".', "rows"),
        ("With fewer than three sports, all of them are listed", os.path.join(GEN, "two_sports.tsv"),
         "", "always"),
        ("A file with only a header gives 0 rows, 0 athletes and no sport lines",
         os.path.join(GEN, "header_only.tsv"),
         "A grep that matches nothing exits 1 and, with pipefail, stops the script.", "error"),
    ]:
        try:
            want, _, _ = reference(path)
            got = run_ok(path)
            msg = describe_difference(got, want)
            rows_wrong = field(got, "rows") != field(want, "rows")
            if msg and note and (when == "always" or (when == "rows" and rows_wrong)):
                msg = f"{msg}. {note}"
            report(name, not msg, msg)
        except RunError as err:
            report(name, False, f"{err}. {note}".strip())

    name = "A header without a sport column: a message on stderr and exit status 1"
    try:
        code, lines, err = run(os.path.join(GEN, "no_sport.tsv"))
        if code != 1:
            report(name, False, f"the exit status is {code}, expected 1")
        elif not err:
            report(name, False, "exit status 1 is right, but say what is wrong on stderr")
        else:
            report(name, True)
    except RunError as err:
        report(name, False, str(err))


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
