package classroom

import "github.com/kaizen-mlops/kaizen/internal/course"

// CourseFromCatalog describes a loaded course for the gradebook.
func CourseFromCatalog(cat *course.Catalog) Course {
	c := Course{ID: cat.ID, Title: cat.Title, Version: cat.Version}
	for _, ch := range cat.Chapters {
		gc := Chapter{ID: ch.ID, Number: ch.Number, Title: ch.Title, Prompts: len(ch.Prompts)}
		for _, l := range ch.Lessons {
			gc.Lessons = append(gc.Lessons, l.ID)
		}
		if qz := cat.Quiz(ch.ID); qz != nil {
			gc.Questions = len(qz.Questions)
		}
		c.Chapters = append(c.Chapters, gc)
	}
	for _, ex := range cat.Exercises {
		c.Exercises = append(c.Exercises, Exercise{ID: ex.ID, ChapterID: ex.Chapter, Title: ex.Title, Points: float64(ex.MaxPoints())})
	}
	for _, cs := range cat.Cases {
		c.Cases = append(c.Cases, Case{ID: cs.ID, Title: cs.Title, Endings: len(cs.Endings)})
	}
	return c
}
