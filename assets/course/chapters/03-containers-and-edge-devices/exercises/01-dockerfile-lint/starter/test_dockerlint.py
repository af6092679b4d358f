"""Quick tests for dockerlint.py. Run them with: python3 -m unittest -v

Every examples/NAME.Dockerfile must give exactly the (line, rule) pairs of
examples/NAME.expected.json.
"""
import glob
import json
import os
import unittest

from dockerlint import instructions, lint

HERE = os.path.dirname(os.path.abspath(__file__))


def pairs(findings):
    return [(f["line"], f["rule"]) for f in findings]


class TestParser(unittest.TestCase):
    def test_continuations_and_comments(self):
        text = ("# a comment\n"
                "from python:3.12-slim\n"
                "\n"
                "RUN apt-get update \\\n"
                "    # a comment inside the instruction\n"
                "    && apt-get install -y curl\n")
        self.assertEqual([tuple(i) for i in instructions(text)], [
            (2, "FROM", "python:3.12-slim"),
            (4, "RUN", "apt-get update && apt-get install -y curl"),
        ])


class TestExamples(unittest.TestCase):
    def test_examples(self):
        paths = sorted(glob.glob(os.path.join(HERE, "examples", "*.Dockerfile")))
        self.assertTrue(paths, "no examples found")
        for path in paths:
            with self.subTest(example=os.path.basename(path)):
                with open(path) as f:
                    got = pairs(lint(instructions(f.read())))
                with open(path[: -len(".Dockerfile")] + ".expected.json") as f:
                    want = pairs(json.load(f))
                self.assertEqual(got, want)


class TestRules(unittest.TestCase):
    def rules(self, text):
        return pairs(lint(instructions(text)))

    def test_stage_names_and_scratch_need_no_tag(self):
        text = ("FROM golang:1.22 AS build\n"
                "FROM build AS test\n"
                "FROM scratch\n"
                "USER 65534\n"
                "LABEL version=1\n")
        self.assertEqual(self.rules(text), [])

    def test_registry_port_is_not_a_tag(self):
        text = "FROM registry.local:5000/team/base\nUSER app\nLABEL version=1\n"
        self.assertEqual(self.rules(text), [(1, "DL-TAG")])

    def test_only_the_final_stage_needs_user_and_label(self):
        text = ("FROM python:3.12 AS build\n"
                "USER app\n"
                "LABEL version=1\n"
                "FROM python:3.12-slim\n")
        self.assertEqual(self.rules(text), [(4, "DL-LABEL"), (4, "DL-USER")])


if __name__ == "__main__":
    unittest.main()
