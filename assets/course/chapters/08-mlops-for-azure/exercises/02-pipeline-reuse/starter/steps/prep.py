"""prep: drop comment lines, blank lines and rows with an empty cell."""
import sys

src, dst = sys.argv[1], sys.argv[2]
with open(src) as f:
    lines = [ln.rstrip("\n") for ln in f if ln.strip() and not ln.startswith("#")]
header, rows = lines[0], [ln for ln in lines[1:] if all(cell.strip() for cell in ln.split(","))]
with open(dst, "w") as f:
    f.write("\n".join([header] + rows) + "\n")
