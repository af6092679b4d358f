"""Quick tests for aggregate.py. Run them with: python3 -m unittest -v"""
import unittest

from aggregate import decide, gold_report, normalize, score_workers


class NormalizeTest(unittest.TestCase):
    def test_same_handle_typed_differently(self):
        for typed in ["ana_k", "  @Ana_K ", "ANA_K", "@ ana_k", "\tAna_k\n"]:
            with self.subTest(typed=typed):
                self.assertEqual(normalize(typed), "ana_k")

    def test_only_one_at_sign_goes(self):
        self.assertEqual(normalize("@@ana"), "@ana")

    def test_empty(self):
        self.assertEqual(normalize("   "), "")


class DecideTest(unittest.TestCase):
    def test_seven_of_nine_is_accepted(self):
        d = decide(["a"] * 7 + ["b", ""], 7, 9)
        self.assertEqual((d["label"], d["reason"], d["top_answer"], d["top_votes"]), ("a", None, "a", 7))

    def test_six_of_nine_goes_to_review(self):
        d = decide(["a"] * 6 + ["b"] * 3, 7, 9)
        self.assertEqual((d["label"], d["reason"], d["top_votes"]), (None, "no_agreement", 6))

    def test_empty_answers_are_not_votes(self):
        d = decide([""] * 9, 7, 9)
        self.assertEqual((d["label"], d["reason"], d["top_answer"], d["top_votes"]),
                         (None, "no_agreement", "", 0))

    def test_a_tie_goes_to_the_answer_that_sorts_first(self):
        d = decide(["zed"] * 4 + ["amy"] * 4 + [""], 7, 9)
        self.assertEqual((d["top_answer"], d["top_votes"]), ("amy", 4))

    def test_wrong_number_of_answers(self):
        d = decide(["a"] * 8, 7, 9)
        self.assertEqual((d["label"], d["reason"], d["top_votes"]), (None, "wrong_count", 8))
        d = decide(["a"] * 10, 7, 9)
        self.assertEqual((d["label"], d["reason"]), (None, "wrong_count"))


class WorkerTest(unittest.TestCase):
    def setUp(self):
        # twelve accepted items labelled "h": W1 always agrees, W2 agrees on 7 of 12
        self.by_item = {f"I{i:02d}": [("W1", "h"), ("W2", "h" if i < 7 else "x")] for i in range(12)}
        self.decisions = {item: {"label": "h", "reason": None, "top_answer": "h", "top_votes": 9}
                          for item in self.by_item}
        self.gold = {"I00": "h", "I01": "h", "I02": "nope"}

    def test_counts_and_rates(self):
        stats = score_workers(self.by_item, self.decisions, self.gold)
        self.assertEqual(stats["W2"], {"answers": 12, "scored": 12, "agreed": 7, "agreement": 0.5833,
                                       "gold_answers": 3, "gold_correct": 2, "gold_accuracy": 0.6667,
                                       "flagged": True})
        self.assertFalse(stats["W1"]["flagged"])

    def test_items_in_review_are_not_scored(self):
        self.decisions["I11"] = {"label": None, "reason": "no_agreement", "top_answer": "h", "top_votes": 6}
        stats = score_workers(self.by_item, self.decisions, {})
        self.assertEqual((stats["W1"]["answers"], stats["W1"]["scored"]), (12, 11))
        self.assertIsNone(stats["W1"]["gold_accuracy"])

    def test_gold_report(self):
        report = gold_report(self.decisions, self.gold)
        self.assertEqual(report, {"items": 3, "accepted": 3, "wrong": 1, "error_rate": 0.3333})
        self.assertEqual(gold_report(self.decisions, {})["error_rate"], None)


if __name__ == "__main__":
    unittest.main()
