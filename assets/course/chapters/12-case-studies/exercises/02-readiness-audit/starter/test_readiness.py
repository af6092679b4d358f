"""Quick tests for readiness.py. Run them with: python3 -m unittest -v"""
import json
import os
import tempfile
import unittest

from readiness import AuditError, band_for, load_audit, plan, section_scores


def test(tid, section, status, days=1):
    t = {"id": tid, "section": section, "status": status}
    if status != "automated":
        t["next_step_days"] = days
    return t


TESTS = [
    test("d1", "data", "automated"), test("d2", "data", "manual", 2),
    test("m1", "model", "automated"), test("m2", "model", "none", 3),
    test("i1", "infrastructure", "manual", 1), test("i2", "infrastructure", "manual", 0.5),
    test("o1", "monitoring", "none", 4), test("o2", "monitoring", "manual", 2),
    test("o3", "monitoring", "none", 2),
]


class ScoreTest(unittest.TestCase):
    def test_section_sums(self):
        self.assertEqual(section_scores(TESTS),
                         {"data": 1.5, "model": 1.0, "infrastructure": 1.0, "monitoring": 0.5})

    def test_bands_include_their_upper_bound(self):
        cases = {0: "research", 0.5: "fragile", 1: "fragile", 1.5: "basic", 2: "basic",
                 3: "reasonable", 3.5: "strong", 5: "strong", 5.5: "exceptional"}
        for score, band in cases.items():
            with self.subTest(score=score):
                self.assertEqual(band_for(score), band)


class PlanTest(unittest.TestCase):
    def test_cheapest_steps_of_the_weakest_section(self):
        recs, days = plan(TESTS, ["monitoring"])
        self.assertEqual([r["id"] for r in recs], ["o2", "o3", "o1"])    # 2, 2 (ties by id), 4
        self.assertEqual(recs[0], {"id": "o2", "section": "monitoring", "from": "manual",
                                   "to": "automated", "days": 2})
        self.assertEqual(days, 2)

    def test_a_tie_needs_one_step_in_each_section(self):
        recs, days = plan(TESTS, ["model", "infrastructure"])
        self.assertEqual([r["id"] for r in recs], ["i2", "i1", "m2"])
        self.assertEqual(days, 3.5)                                      # 0.5 + 3

    def test_nothing_left_to_improve(self):
        recs, days = plan([test("o1", "monitoring", "automated")], ["monitoring"])
        self.assertEqual((recs, days), ([], None))


class LoadTest(unittest.TestCase):
    def load(self, doc):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(doc, f)
        try:
            return load_audit(f.name)
        finally:
            os.unlink(f.name)

    def test_a_good_audit(self):
        self.assertEqual(self.load({"system": "s", "tests": TESTS}), ("s", TESTS))

    def test_problems_are_audit_errors(self):
        broken = [
            {"system": "s", "tests": TESTS + [test("x", "security", "manual")]},
            {"system": "s", "tests": TESTS + [test("x", "data", "done")]},
            {"system": "s", "tests": TESTS + [test("d1", "data", "manual")]},
            {"system": "s", "tests": [t for t in TESTS if t["section"] != "model"]},
            {"system": "s", "tests": TESTS + [{"id": "x", "section": "data", "status": "manual"}]},
            {"tests": TESTS},
            ["not", "an", "object"],
        ]
        for doc in broken:
            with self.subTest(doc=str(doc)[:60]), self.assertRaises(AuditError):
                self.load(doc)


if __name__ == "__main__":
    unittest.main()
