"""featurize: turn height in cm into metres above 1.5 m, the model's one feature."""
import csv
import sys

src, dst = sys.argv[1], sys.argv[2]
with open(src, newline="") as f:
    rows = list(csv.DictReader(f))
with open(dst, "w") as f:
    f.write("x,y\n")
    for r in rows:
        f.write(f"{float(r['height_cm']) / 100 - 1.5:.4f},{float(r['weight_kg'])}\n")
