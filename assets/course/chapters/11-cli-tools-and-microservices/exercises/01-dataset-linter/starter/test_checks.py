"""Quick tests for csvlint.checks. Run them with: python3 -m unittest -v"""
import unittest

from csvlint.checks import lint_rows


def found(rows, max_null_ratio=0.5):
    """(code, record, column) of every problem, sorted, so the tests do not depend on order."""
    problems = lint_rows(rows, max_null_ratio)
    return sorted((p["code"], p["record"] or 0, p["column"] or 0) for p in problems)


class HeaderTest(unittest.TestCase):
    def test_clean_table(self):
        self.assertEqual(found([["id", "sport"], ["1", "mma"], ["2", "tennis"]]), [])

    def test_blank_unnamed_and_duplicate_names(self):
        rows = [["Unnamed: 0", "id", " ", "id"], ["0", "1", "x", "1"]]
        self.assertEqual(found(rows), [("blank-header", 1, 3), ("duplicate-header", 1, 4),
                                       ("unnamed-header", 1, 1)])

    def test_empty_file(self):
        self.assertEqual(found([]), [("empty-file", 0, 0)])
        self.assertEqual(found([[], []]), [("empty-file", 0, 0)])


class RecordTest(unittest.TestCase):
    def test_ragged_rows_and_blank_lines(self):
        # blank lines ([]) are skipped and get no record number
        rows = [["a", "b", "c"], ["1", "2", "3"], [], ["4", "5"], ["6", "7", "8", "9"]]
        self.assertEqual(found(rows), [("ragged-row", 3, 0), ("ragged-row", 4, 0)])

    def test_line_breaks_inside_fields(self):
        rows = [["id", "caption"], ["1", "first line\nsecond line"], ["2", "windows\r\nstyle"]]
        self.assertEqual(found(rows), [("embedded-newline", 2, 2), ("embedded-newline", 3, 2)])

    def test_severities(self):
        rows = [["id", ""], ["1", "a\nb"]]
        severity = {p["code"]: p["severity"] for p in lint_rows(rows)}
        self.assertEqual(severity, {"blank-header": "error", "embedded-newline": "warning"})


class ColumnTest(unittest.TestCase):
    def test_empty_column(self):
        rows = [["id", "notes"], ["1", ""], ["2", "  "], ["3"]]
        self.assertIn(("empty-column", 0, 2), found(rows))

    def test_null_ratio_is_strictly_greater(self):
        rows = [["id", "likes"], ["1", ""], ["2", ""], ["3", "5"], ["4", "9"]]   # 2 of 4 empty
        self.assertEqual(found(rows, 0.5), [])
        self.assertEqual(found(rows, 0.25), [("null-ratio", 0, 2)])

    def test_header_only_has_no_column_problems(self):
        self.assertEqual(found([["id", "likes"]]), [])


if __name__ == "__main__":
    unittest.main()
