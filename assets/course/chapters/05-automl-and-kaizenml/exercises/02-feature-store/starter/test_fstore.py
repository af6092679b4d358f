"""Quick tests for fstore.py. Run them with: python3 -m unittest -v"""
import io
import os
import tempfile
import unittest

from fstore import InputError, connect, ingest, online, training

HEADER = "entity_id,feature,value,event_time\n"


class StoreTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.conn = connect(":memory:")

    def tearDown(self):
        self.conn.close()
        self.dir.cleanup()

    def csv(self, text, name="f.csv"):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def count(self):
        return self.conn.execute("SELECT COUNT(*) FROM feature_values").fetchone()[0]


class TestConnect(StoreTest):
    def test_schema_is_created(self):
        names = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master")}
        self.assertIn("feature_values", names)
        self.assertIn("feature_values_lookup", names)


class TestIngest(StoreTest):
    def test_rows_are_appended(self):
        first = self.csv(HEADER + "a1,posts_7d,3,2024-05-01T00:00:00Z\n")
        self.assertEqual(ingest(self.conn, first), 1)
        self.assertEqual(ingest(self.conn, self.csv(HEADER + "a1,posts_7d,4,2024-05-02T00:00:00Z\n"
                                                    "a2,posts_7d,5,2024-05-02T00:00:00Z\n")), 2)
        self.assertEqual(self.count(), 3)

    def test_columns_in_any_order(self):
        ingest(self.conn, self.csv("value,event_time,feature,entity_id\n"
                                   "7,2024-05-01T00:00:00Z,posts_7d,a1\n"))
        self.assertEqual(online(self.conn, "a1"), {"posts_7d": 7.0})

    def test_a_bad_row_stores_nothing(self):
        for bad in ["a1,posts_7d,lots,2024-05-01T00:00:00Z", "a1,posts_7d,3,2024-05-01 00:00:00",
                    "a1,posts_7d,3,2024-13-01T00:00:00Z", ",posts_7d,3,2024-05-01T00:00:00Z"]:
            with self.subTest(bad=bad):
                path = self.csv(HEADER + "a2,posts_7d,1,2024-05-01T00:00:00Z\n" + bad + "\n")
                with self.assertRaises(InputError):
                    ingest(self.conn, path)
                self.assertEqual(self.count(), 0)


class TestOnline(StoreTest):
    def test_newest_event_time_wins_not_newest_row(self):
        ingest(self.conn, self.csv(HEADER + "a1,posts_7d,3,2024-05-20T00:00:00Z\n"))
        ingest(self.conn, self.csv(HEADER + "a1,posts_7d,9,2024-05-01T00:00:00Z\n"))  # late
        self.assertEqual(online(self.conn, "a1"), {"posts_7d": 3.0})

    def test_same_time_last_ingested_wins(self):
        ingest(self.conn, self.csv(HEADER + "a1,posts_7d,3,2024-05-20T00:00:00Z\n"
                                   "a1,posts_7d,4,2024-05-20T00:00:00Z\n"))
        self.assertEqual(online(self.conn, "a1"), {"posts_7d": 4.0})

    def test_asked_features_and_unknowns(self):
        ingest(self.conn, self.csv(HEADER + "a1,posts_7d,3,2024-05-20T00:00:00Z\n"))
        self.assertEqual(online(self.conn, "a1", ["posts_7d", "followers_k"]),
                         {"posts_7d": 3.0, "followers_k": None})
        self.assertEqual(online(self.conn, "nobody"), {})


class TestTraining(StoreTest):
    def test_point_in_time(self):
        ingest(self.conn, self.csv(HEADER + "a1,posts_7d,12,2024-05-01T00:00:00Z\n"
                                   "a1,posts_7d,3,2024-05-20T00:00:00Z\n"
                                   "a1,posts_7d,0,2024-06-02T00:00:00Z\n"))
        labels = self.csv("entity_id,label_time,churned\n"
                          "a1,2024-05-25T00:00:00Z,1\n"     # 3: 0 came later
                          "a1,2024-05-20T00:00:00Z,1\n"     # 3: at the same second counts
                          "a1,2024-04-01T00:00:00Z,0\n"     # nothing known yet
                          "zz,2024-05-25T00:00:00Z,0\n",    # an entity never seen
                          "labels.csv")
        out = io.StringIO()
        self.assertEqual(training(self.conn, labels, ["posts_7d"], out), 4)
        self.assertEqual(out.getvalue().splitlines(), [
            "entity_id,label_time,churned,posts_7d",
            "a1,2024-05-25T00:00:00Z,1,3.0",
            "a1,2024-05-20T00:00:00Z,1,3.0",
            "a1,2024-04-01T00:00:00Z,0,",
            "zz,2024-05-25T00:00:00Z,0,",
        ])

    def test_bad_label_time(self):
        labels = self.csv("entity_id,label_time\na1,yesterday\n", "labels.csv")
        with self.assertRaises(InputError):
            training(self.conn, labels, ["posts_7d"], io.StringIO())


if __name__ == "__main__":
    unittest.main()
