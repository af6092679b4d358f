"""train: fit y = slope * x + intercept by ridge least squares; PARAM_L2 is the penalty."""
import csv
import json
import os
import sys

src, dst = sys.argv[1], sys.argv[2]
l2 = float(os.environ.get("PARAM_L2", "0"))
with open(src, newline="") as f:
    pts = [(float(r["x"]), float(r["y"])) for r in csv.DictReader(f)]
n = len(pts)
mx, my = sum(x for x, _ in pts) / n, sum(y for _, y in pts) / n
sxx = sum((x - mx) ** 2 for x, _ in pts)
sxy = sum((x - mx) * (y - my) for x, y in pts)
slope = sxy / (sxx + l2)
with open(dst, "w") as f:
    json.dump({"slope": round(slope, 4), "intercept": round(my - slope * mx, 4), "l2": l2}, f)
    f.write("\n")
