"""Write this attempt's hidden fixtures into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

- test_planted_<word>.py: a test that fails, to prove `make test` runs every test file and fails
- planted_<word>.py: a file with one lint problem, to prove `make lint` looks at every file
- hello_mutant.py: hello.py with greet() subtly broken, to prove the learner's tests notice
"""
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

words = ["otter", "heron", "lynx", "marten", "ibis", "tapir", "civet", "gecko", "puffin", "quokka"]
word = f"{rng.choice(words)}{rng.randint(10, 99)}"
a, b = rng.randint(2, 40), rng.randint(2, 40)

with open(os.path.join(out, f"test_planted_{word}.py"), "w") as f:
    f.write(
        "import unittest\n\n"
        "from hello import add\n\n\n"
        f"class TestPlanted{word.capitalize()}(unittest.TestCase):\n"
        f"    def test_planted_{word}(self):\n"
        f"        self.assertEqual(add({a}, {b}), {a + b + rng.randint(1, 9)})\n"
    )

problem = rng.choice(["trailing", "long", "tab"])
body = f'"""Planted by the checker."""\n\n\ndef {word}():\n'
if problem == "trailing":
    body += f"    return {a}   \n"
elif problem == "long":
    body += f"    return {' + '.join(str(rng.randint(100, 999)) for _ in range(30))}\n"
else:
    body += f"\treturn {a}\n"
with open(os.path.join(out, f"planted_{word}.py"), "w") as f:
    f.write(body)

mutants = [
    'f"Hello {name}!"',
    'f"Hello, {name}"',
    'f"hello, {name}!"',
    'f"Hi, {name}!"',
    'f"Hello, {name}!!"',
    '"Hello, world!"',
    'f"Hello,  {name}!"',
    'f"Hello, {name.strip()}."',
]
with open(os.path.join(out, "hello_mutant.py"), "w") as f:
    f.write(
        "def add(a, b):\n"
        "    return a + b\n\n\n"
        "def greet(name):\n"
        f"    return {rng.choice(mutants)}\n"
    )
