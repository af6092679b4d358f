"""evaluate: mean absolute error of the model; passed when it is at most PARAM_MAX_MAE."""
import csv
import json
import os
import sys

model_path, data_path, dst = sys.argv[1], sys.argv[2], sys.argv[3]
max_mae = float(os.environ.get("PARAM_MAX_MAE", "2.0"))
with open(model_path) as f:
    model = json.load(f)
with open(data_path, newline="") as f:
    pts = [(float(r["x"]), float(r["y"])) for r in csv.DictReader(f)]
mae = sum(abs(model["slope"] * x + model["intercept"] - y) for x, y in pts) / len(pts)
with open(dst, "w") as f:
    json.dump({"mae": round(mae, 3), "max_mae": max_mae, "passed": mae <= max_mae}, f)
    f.write("\n")
