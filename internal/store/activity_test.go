package store

import (
	"context"
	"testing"
	"time"
)

func TestEventTimes(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	st, err := Open(ctx, ":memory:", Options{CourseID: "c", CourseVersion: "1", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l, err := st.EnsureLearner(ctx, LocalLearnerKey, "")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := st.EnsureLearner(ctx, "ssh:other", "")
	for i := range 3 {
		now = now.Add(time.Duration(i) * 24 * time.Hour)
		if err := st.OpenLesson(ctx, l.ID, "l1"); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.OpenLesson(ctx, other.ID, "l1"); err != nil {
		t.Fatal(err)
	}
	all, err := st.EventTimes(ctx, l.ID, time.Time{})
	if err != nil || len(all) != 3 {
		t.Fatalf("all = %v, %v", all, err)
	}
	if !all[0].Before(all[2]) {
		t.Fatal("not oldest first")
	}
	recent, err := st.EventTimes(ctx, l.ID, all[1])
	if err != nil || len(recent) != 2 {
		t.Fatalf("since = %v, %v", recent, err)
	}
}
