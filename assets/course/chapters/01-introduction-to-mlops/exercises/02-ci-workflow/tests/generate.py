"""Write this attempt's hidden fixtures into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

- test_sentinel_<word>.py: a passing test that leaves a marker file, to prove the workflow ran
  the tests
- test_broken_<word>.py: a failing test, to prove the workflow fails when a test fails
- lint_<word>.py: a file with one lint problem, to prove the workflow fails on lint
"""
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

words = ["alder", "birch", "cedar", "hazel", "larch", "maple", "rowan", "spruce", "willow", "yew"]
word = f"{rng.choice(words)}{rng.randint(100, 999)}"
a, b = rng.randint(3, 50), rng.randint(3, 50)

with open(os.path.join(out, "word.txt"), "w") as f:
    f.write(word + "\n")

with open(os.path.join(out, f"test_sentinel_{word}.py"), "w") as f:
    f.write(
        "import unittest\n\n"
        "from hello import add\n\n\n"
        f"class TestSentinel{word.capitalize()}(unittest.TestCase):\n"
        "    def test_sentinel(self):\n"
        f"        self.assertEqual(add({a}, {b}), {a + b})\n"
        f"        with open('sentinel-{word}.txt', 'w') as marker:\n"
        "            marker.write('ran')\n"
    )

with open(os.path.join(out, f"test_broken_{word}.py"), "w") as f:
    f.write(
        "import unittest\n\n"
        "from hello import add\n\n\n"
        f"class TestBroken{word.capitalize()}(unittest.TestCase):\n"
        "    def test_broken(self):\n"
        f"        self.assertEqual(add({a}, {b}), {a + b + rng.randint(1, 9)})\n"
    )

with open(os.path.join(out, f"lint_{word}.py"), "w") as f:
    f.write(f'"""Planted by the checker."""\n\n\ndef {word}():\n    return {a}    \n')
