"""Write this attempt's hidden Dockerfiles into $KAIZEN_GEN/NAME.Dockerfile, chosen by $KAIZEN_SEED.

The findings each file should give are not written anywhere: check_dockerlint.py rebuilds them
from the same seed with dockgen.build().
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dockgen import build  # noqa: E402

out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)
for case in build(int(os.environ.get("KAIZEN_SEED", "1"))):
    with open(os.path.join(out, case["name"] + ".Dockerfile"), "w") as f:
        f.write(case["text"])
