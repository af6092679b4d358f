"""Write this attempt's hidden tables into $KAIZEN_GEN, chosen by $KAIZEN_SEED."""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from datagen import make_posts, to_csv  # noqa: E402

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)
for name in ("posts_a.csv", "posts_b.csv"):
    rows, _ = make_posts(rng)
    with open(os.path.join(out, name), "w") as f:
        f.write(to_csv(rows))
