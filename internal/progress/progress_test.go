package progress

import (
	"context"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/assets"
	"github.com/kaizen-mlops/kaizen/casestudies"
	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/portfolio"
)

func TestLoadBuildsTheModelFromTheStore(t *testing.T) {
	ctx := context.Background()
	// The built-in course, whatever problems work in progress may have: the catalog is
	// still built, and the test only relies on its shape.
	cat, _ := course.Load(assets.Course(), "embedded")
	if len(cat.Cases) == 0 || len(cat.Chapters) == 0 || len(cat.Chapters[0].Prompts) < 2 {
		t.Skip("the built-in course has no case study or prompts to test with")
	}
	zone := time.FixedZone("UTC-5", -5*3600)
	now := time.Date(2026, 11, 25, 22, 30, 0, 0, zone) // 03:30 UTC the next day
	clock := now
	st, err := store.Open(ctx, ":memory:", store.Options{CourseID: cat.ID, CourseVersion: cat.Version, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l, _ := st.EnsureLearner(ctx, store.LocalLearnerKey, "")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ch := cat.Chapters[0]
	p1, p2 := ch.Prompts[0], ch.Prompts[1]
	clock = now.AddDate(0, 0, -1)
	_, err = st.SaveAnswer(ctx, l.ID, ch.ID, p1.ID, "Shown in the portfolio.")
	must(err)
	must(st.SetJournalPortfolio(ctx, l.ID, p1.ID, true))
	_, err = st.SaveAnswer(ctx, l.ID, ch.ID, p2.ID, "Private.")
	must(err)
	must(st.SaveDraft(ctx, l.ID, "some-draft", "never shown"))
	clock = now
	must(st.RecordCheck(ctx, l.ID, "ex-local-only", store.ExerciseCheckData{ChapterID: ch.ID, Passed: false, Points: 0, MaxPoints: 2,
		Report: []byte(`{"results":[{"name":"first","status":"fail","points":0,"max_points":2,"output":"hidden data"}]}`)}))
	must(st.RecordCheck(ctx, l.ID, "ex-local-only", store.ExerciseCheckData{ChapterID: ch.ID, Passed: true, Points: 2, MaxPoints: 2,
		Report: []byte(`{"results":[{"check":"first","status":"pass","points":2,"max_points":2}]}`)}))
	// Play the first case with the first offered choice each time.
	cs := cat.Cases[0]
	s := casestudies.Start(cs)
	var keys []string
	for !s.Over() {
		k := s.Choices()[0].Key
		keys = append(keys, k)
		s, _, err = casestudies.Choose(s, k)
		must(err)
	}
	ending, _ := s.Ending()
	must(st.RecordCaseRun(ctx, l.ID, cs.ID, store.CaseRunData{Choices: keys, Ending: ending.ID}))
	must(st.SetLink(ctx, l.ID, cs.ID, "https://github.com/ada/case-notes", ""))

	m, err := Load(ctx, Source{Store: st, Learner: l.ID, Name: "Ada", Catalog: cat, Exercises: ExerciseList{}, Workspace: "/ws", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Essays) != 1 || m.Essays[0].PromptID != p1.ID || m.Essays[0].Body != "Shown in the portfolio." || m.Essays[0].Prompt != p1.Prompt || len(m.Essays[0].Traits) == 0 {
		t.Fatalf("essays = %+v", m.Essays)
	}
	if len(m.Exercises) != 1 {
		t.Fatalf("exercises = %+v", m.Exercises)
	}
	e := m.Exercises[0]
	if !e.Passed || e.Known || e.Title != "ex-local-only" || e.Workspace != "/ws/ex-local-only" || e.Points != 2 || len(e.Checks) != 1 || e.Checks[0].Name != "first" || e.Checks[0].Status != "pass" {
		t.Fatalf("exercise = %+v", e)
	}
	c0, _ := m.Chapter(ch.ID)
	if c0.Exercises != 1 || c0.ExercisesPassed != 1 || c0.PromptsAnswered != 2 || c0.Prompts != len(ch.Prompts) {
		t.Fatalf("chapter = %+v", c0)
	}
	var played portfolio.Case
	for _, c := range m.Cases {
		if c.ID == cs.ID {
			played = c
		}
	}
	if len(played.Runs) != 1 || played.Links.Repo != "https://github.com/ada/case-notes" {
		t.Fatalf("case = %+v", played)
	}
	run := played.Runs[0]
	if len(run.Decisions) != len(keys) || run.EndingTitle != ending.Title || run.Decisions[0].Choice == "" || run.Decisions[0].Scene == "" {
		t.Fatalf("run = %+v", run)
	}
	// Days are counted in the learner's zone: everything happened on two local days.
	if st := m.Streak(); st.Current != 2 || !st.ActiveToday || st.ActiveDays != 2 {
		t.Fatalf("streak = %+v (activity %v)", st, m.Activity)
	}
}

func TestCourseExercisesReadsTheCourse(t *testing.T) {
	cat, _ := course.Load(assets.Course(), "embedded")
	list := CourseExercises(cat)
	if list == nil {
		t.Fatal("nil catalog")
	}
	for _, info := range list.ExerciseInfos() {
		if info.ID == "" || info.Title == "" || info.ChapterID == "" {
			t.Errorf("incomplete exercise info %+v", info)
		}
	}
	if CourseExercises(nil) != nil {
		t.Fatal("no course, no exercises")
	}
}
