package progress

import (
	"github.com/kaizen-mlops/kaizen/exercises"
	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/portfolio"
)

// ExerciseList is a fixed list of exercise descriptions.
type ExerciseList []portfolio.ExerciseInfo

// ExerciseInfos returns the list.
func (l ExerciseList) ExerciseInfos() []portfolio.ExerciseInfo { return l }

// CourseExercises reads a course's exercises from its files with the exercises package
// (problems are the linter's business and are ignored here). Nil for no course.
func CourseExercises(cat *course.Catalog) portfolio.ExerciseCatalog {
	if cat == nil || cat.FS == nil {
		return nil
	}
	list, _ := exercises.LoadCourse(cat.FS)
	out := make(ExerciseList, 0, len(list))
	for _, ex := range list {
		readme, _ := ex.README()
		out = append(out, portfolio.ExerciseInfo{ID: ex.ID, ChapterID: ex.Chapter, Title: ex.Title, Summary: ex.Summary, Language: ex.Language, README: readme})
	}
	return out
}
