"""Write this attempt's hidden logs into $KAIZEN_GEN, chosen by $KAIZEN_SEED."""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from loggen import make_log  # noqa: E402

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)


def write(name, lines):
    with open(os.path.join(out, name), "w") as f:
        f.write("\n".join(lines) + "\n")


write("incident.log", make_log(rng, windows=rng.randint(30, 45), malformed=rng.randint(3, 8),
                               blanks=2, disorder=15))
write("quiet.log", make_log(rng, windows=rng.randint(8, 11), incidents=False, malformed=1))
write("big.log", make_log(rng, windows=1700, malformed=20, disorder=100))
