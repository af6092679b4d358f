package plain

import (
	"fmt"
	"strings"

	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/lessons"
)

// The lines that end and abandon a written answer.
const (
	endAnswer    = "."
	cancelAnswer = "!"
)

// journal reads the learner's discussion answers; a failed read is said and treated as
// none.
func (s *Session) journal() map[string]*store.JournalEntry {
	if s.st == nil {
		return map[string]*store.JournalEntry{}
	}
	e, err := s.st.Journal(s.ctx, s.learner)
	if err != nil {
		s.Sayf("Could not read your journal: %v", err)
		return map[string]*store.JournalEntry{}
	}
	return e
}

// promptStatus says a prompt's state in a few words.
func promptStatus(e *store.JournalEntry) string {
	switch {
	case e == nil:
		return "Not started."
	case len(e.Revisions) > 0:
		out := fmt.Sprintf("Answered, %d %s", len(e.Revisions), plural(len(e.Revisions), "revision", "revisions"))
		if e.Draft != "" {
			out += ", with an unsaved draft"
		}
		if e.Portfolio {
			out += ", in your portfolio"
		}
		return out + "."
	default:
		return "Draft, not saved yet."
	}
}

// firstSentence is the first sentence of a paragraph, for lists.
func firstSentence(t string) string {
	t = firstLine(t)
	for i := 0; i+1 < len(t); i++ {
		if strings.ContainsRune(".?!", rune(t[i])) && t[i+1] == ' ' {
			return t[:i+1]
		}
	}
	return t
}

// promptTraits are the traits a prompt exercises, in the fixed order with their rubrics.
func promptTraits(p *lessons.Prompt) []lessons.TraitInfo {
	var out []lessons.TraitInfo
	for _, t := range lessons.Traits() {
		for _, want := range p.Traits {
			if t.Trait == want {
				out = append(out, t)
			}
		}
	}
	return out
}

// discussion lists a chapter's critical-thinking prompts with their state.
func (s *Session) discussion(ch *lessons.Chapter) error {
	return s.Menu(Menu{
		Title: "Critical thinking: " + ch.Title,
		Intro: func() {
			s.Say("Write your answer, then rate it against the intellectual traits the prompt exercises. Answers are kept with every revision.")
		},
		Items: func() []Item {
			j := s.journal()
			var items []Item
			for i, p := range ch.Prompts {
				i, p := i, p
				label := sentence(firstSentence(s.markdownLine(p.Prompt))) + " " + promptStatus(j[p.ID])
				items = append(items, Item{Label: label, Run: func() error { return s.prompt(p, i+1, len(ch.Prompts)) }})
			}
			return items
		},
	})
}

// prompt is one discussion prompt: read it, write an answer (a new revision), rate it,
// hear earlier revisions, and choose whether it goes in the portfolio.
func (s *Session) prompt(p *lessons.Prompt, n, of int) error {
	traits := promptTraits(p)
	var names []string
	for _, t := range traits {
		names = append(names, t.Name)
	}
	entry := func() *store.JournalEntry { return s.journal()[p.ID] }
	return s.Menu(Menu{
		Title: fmt.Sprintf("Prompt %d of %d", n, of),
		Level: 2,
		Intro: func() {
			if len(names) > 0 {
				s.Say("Traits: " + strings.Join(names, ", ") + ".")
			}
			s.sayMarkdown(p.Prompt)
			e := entry()
			switch {
			case e == nil:
				s.Say("You have not answered yet.")
			default:
				if r, ok := e.Latest(); ok {
					s.Sayf("You have answered: revision %d of %d, saved %s.", r.Rev, len(e.Revisions), r.SavedAt.Format("2 January 2006"))
				}
				if e.Draft != "" {
					s.Say("You have an unsaved draft; writing continues it.")
				}
				if e.Portfolio {
					s.Say("This answer is in your portfolio.")
				}
			}
		},
		Items: func() []Item {
			e := entry()
			write := "Write your answer."
			switch {
			case e != nil && e.Draft != "":
				write = "Continue your draft."
			case e != nil && len(e.Revisions) > 0:
				write = "Write a new revision."
			}
			items := []Item{
				{Label: write, Run: func() error { return s.writeAnswer(p, traits) }},
				{Label: "Hear what a strong answer weighs.", Run: func() error {
					s.Blank()
					s.Say("What a strong answer weighs:")
					s.sayMarkdown(p.Guidance)
					return nil
				}},
			}
			if e == nil || len(e.Revisions) == 0 {
				return items
			}
			latest, _ := e.Latest()
			items = append(items, Item{Label: fmt.Sprintf("Hear your answer, revision %d.", latest.Rev), Run: func() error {
				s.sayRevision(latest, len(e.Revisions), traits)
				return nil
			}})
			if len(e.Revisions) > 1 {
				prev := e.Revisions[len(e.Revisions)-2]
				items = append(items, Item{Label: fmt.Sprintf("Hear your previous answer, revision %d.", prev.Rev), Run: func() error {
					s.sayRevision(prev, len(e.Revisions), traits)
					return nil
				}})
			}
			items = append(items, Item{Label: fmt.Sprintf("Rate revision %d against the traits again.", latest.Rev), Run: func() error {
				return s.rate(p, latest.Rev, traits)
			}})
			if e.Portfolio {
				items = append(items, Item{Label: "Leave this answer out of your portfolio.", Run: func() error { return s.setPortfolio(p, false) }})
			} else {
				items = append(items, Item{Label: "Include this answer in your portfolio.", Run: func() error { return s.setPortfolio(p, true) }})
			}
			return items
		},
	})
}

func (s *Session) setPortfolio(p *lessons.Prompt, include bool) error {
	s.save("portfolio choice", func(st *store.Store) error { return st.SetJournalPortfolio(s.ctx, s.learner, p.ID, include) })
	if include {
		s.Say("This answer will appear in your portfolio.")
	} else {
		s.Say("This answer will stay out of your portfolio.")
	}
	return nil
}

// sayRevision reads a saved answer with its self-assessment.
func (s *Session) sayRevision(r store.Revision, of int, traits []lessons.TraitInfo) {
	s.Blank()
	s.Sayf("Your answer, revision %d of %d, saved %s:", r.Rev, of, r.SavedAt.Format("2 January 2006"))
	for _, line := range strings.Split(r.Body, "\n") {
		s.Say(line)
	}
	s.Say("End of answer.")
	if len(r.Ratings) > 0 {
		s.Say("Self-assessment: " + ratingsText(r.Ratings, traits) + ".")
	}
	if r.Note != "" {
		s.Say("To improve: " + sentence(r.Note))
	}
}

// ratingsText reads ratings in trait order: "Intellectual humility 3 of 4; ...".
func ratingsText(ratings map[string]int, traits []lessons.TraitInfo) string {
	var parts []string
	for _, t := range traits {
		if v, ok := ratings[string(t.Trait)]; ok {
			parts = append(parts, fmt.Sprintf("%s %d of 4", t.Name, v))
		}
	}
	return strings.Join(parts, "; ")
}

// writeAnswer takes a multi-line answer ended by a line holding a single full stop, keeps
// it as a draft line by line (so nothing typed is lost if input ends), saves it as a new
// revision and goes on to the self-assessment.
func (s *Session) writeAnswer(p *lessons.Prompt, traits []lessons.TraitInfo) error {
	var lines []string
	if e := s.journal()[p.ID]; e != nil && e.Draft != "" {
		s.Blank()
		s.Say("Your draft so far:")
		for _, l := range strings.Split(e.Draft, "\n") {
			s.Say(l)
		}
		s.Say("End of draft.")
		line, err := s.ReadLine("Press enter to keep the draft and add to it, or type n to start afresh.")
		if err != nil {
			return err
		}
		if w := word(line); w != "n" && w != "no" && w != "new" {
			lines = strings.Split(e.Draft, "\n")
		}
	}
	s.Blank()
	s.Say("Write your answer. Argue from evidence; say what you are unsure of. Type as many lines as you like. When you are done, type a line with only a full stop (.) to save it. A line with only an exclamation mark (!) stops without saving and keeps what you wrote as a draft.")
	saved := strings.Join(lines, "\n")
	keepDraft := func() {
		body := strings.Join(lines, "\n")
		if body != saved && strings.TrimSpace(body) != "" {
			s.save("draft", func(st *store.Store) error { return st.SaveDraft(s.ctx, s.learner, p.ID, body) })
			saved = body
		}
	}
	for {
		raw, err := s.readRaw("")
		if err != nil {
			keepDraft()
			return err
		}
		switch strings.TrimSpace(raw) {
		case endAnswer:
		case cancelAnswer:
			keepDraft()
			if strings.TrimSpace(strings.Join(lines, "\n")) == "" {
				s.Say("Stopped. Nothing was written.")
			} else {
				s.Say("Stopped. What you wrote is kept as a draft.")
			}
			return nil
		default:
			lines = append(lines, strings.TrimRight(raw, " \t"))
			keepDraft()
			continue
		}
		break
	}
	body := strings.TrimSpace(strings.Join(lines, "\n"))
	if body == "" {
		s.Say("Nothing was written, so nothing was saved.")
		return nil
	}
	rev := 1
	if s.st != nil {
		r, err := s.st.SaveAnswer(s.ctx, s.learner, p.ChapterID, p.ID, body)
		if err != nil {
			s.Sayf("Could not save your answer: %v. It is kept as a draft.", err)
			return nil
		}
		rev = r
	}
	words := len(strings.Fields(body))
	s.Sayf("Saved as revision %d, %d %s.", rev, words, plural(words, "word", "words"))
	return s.rate(p, rev, traits)
}

// rate takes the learner's self-assessment of one revision: 1 to 4 per trait, with the
// rubric read out, and an optional note on what to improve.
func (s *Session) rate(p *lessons.Prompt, rev int, traits []lessons.TraitInfo) error {
	s.Blank()
	s.Sayf("Rate revision %d against each trait the prompt exercises, from 1 to 4: %s. Press enter to skip a trait, or type b to skip the self-assessment.",
		rev, strings.Join(lessons.RatingScale(), ", "))
	ratings := map[string]int{}
	for i, t := range traits {
		s.Sayf("%s, trait %d of %d. %s Type 1 to 4.", t.Name, i+1, len(traits), t.Rubric)
		for {
			line, err := s.ReadLine("")
			if err != nil {
				return err
			}
			w := word(line)
			if isBack(w) {
				s.Say("Self-assessment skipped; your answer is saved.")
				return nil
			}
			if isQuit(w) {
				return ErrQuit
			}
			if w == "" {
				break
			}
			if len(w) == 1 && w[0] >= '1' && w[0] <= '4' {
				ratings[string(t.Trait)] = int(w[0] - '0')
				break
			}
			s.Sayf("%s is not a rating. Type a number from 1 to 4, or press enter to skip this trait.", quoted(line))
		}
	}
	note, err := s.ReadLine("Optional: what would make this answer stronger? Type a note on one line, or press enter to skip.")
	if err != nil {
		return err
	}
	s.save("self-assessment", func(st *store.Store) error { return st.RateAnswer(s.ctx, s.learner, p.ID, rev, ratings, note) })
	if len(ratings) == 0 {
		s.Say("Self-assessment saved, with no traits rated.")
	} else {
		s.Say("Self-assessment saved: " + ratingsText(ratings, traits) + ".")
	}
	return nil
}
