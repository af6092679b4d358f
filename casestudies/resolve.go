package casestudies

import (
	"fmt"
	"strings"
)

// resolve checks ids and compiles every reference of a parsed case.
func (p *parser) resolve(c *Case) {
	if !courseIDRe.MatchString(c.ID) {
		p.probs.Add(p.file, c.Line, "case id %q must match %s", c.ID, courseIDRe)
	}
	c.gaugeIx = map[string]int{}
	c.flagIx = map[string]uint{}
	c.sceneIx = map[string]int{}
	c.endingIx = map[string]int{}
	vars := map[string]int{} // gauge and flag ids share one namespace (conditions)
	for i, g := range c.Gauges {
		if p.varID(g.ID, "gauge", g.Line, vars) {
			c.gaugeIx[g.ID] = i
		}
	}
	if len(c.Flags) > maxFlags {
		p.probs.Add(p.file, c.Flags[maxFlags].Line, "too many flags: at most %d", maxFlags)
	}
	for i, f := range c.Flags {
		if p.varID(f.ID, "flag", f.Line, vars) && i < maxFlags {
			c.flagIx[f.ID] = uint(i)
		}
	}
	ids := map[string]int{}
	courseID := func(id, kind string, line int) bool {
		if !courseIDRe.MatchString(id) {
			p.probs.Add(p.file, line, "%s id %q must match %s", kind, id, courseIDRe)
			return false
		}
		if id == End {
			p.probs.Add(p.file, line, "%s id %q is reserved (next: end finishes a run)", kind, id)
			return false
		}
		if prev, dup := ids[id]; dup {
			p.probs.Add(p.file, line, "%s id %q already used at line %d", kind, id, prev)
			return false
		}
		ids[id] = line
		return true
	}
	for i, s := range c.Scenes {
		s.index = i
		if courseID(s.ID, "scene", s.Line) {
			c.sceneIx[s.ID] = i
		}
	}
	for i, e := range c.Endings {
		e.index = i
		if courseID(e.ID, "ending", e.Line) {
			c.endingIx[e.ID] = i
		}
		if e.Early {
			c.early = append(c.early, i)
		} else {
			c.final = append(c.final, i)
		}
	}
	if len(c.final) == 0 && len(c.Endings) > 0 {
		p.probs.Add(p.file, c.Endings[0].Line, "no final ending: add at least one ending without early: true")
	}
	if i, ok := c.sceneIx[c.Start]; ok {
		c.start = i
	} else {
		p.probs.Add(p.file, p.startLine, "start: unknown scene %q", c.Start)
	}

	for _, s := range c.Scenes {
		rl := p.lines[s]
		s.chapterLines = rl.chapters
		p.chapterIDs(s.Chapters, rl.chapters)
		keys := map[string]int{}
		for _, ch := range s.Choices {
			if !keyRe.MatchString(ch.Key) {
				p.probs.Add(p.file, ch.Line, "scene %s: choice key %q must be one capital letter A-Z", s.ID, ch.Key)
			} else if prev, dup := keys[ch.Key]; dup {
				p.probs.Add(p.file, ch.Line, "scene %s: choice key %q already used at line %d", s.ID, ch.Key, prev)
			} else {
				keys[ch.Key] = ch.Line
			}
			p.resolveChoice(c, s, ch)
		}
	}
	for _, e := range c.Endings {
		if e.When == "" {
			continue
		}
		x, err := compileExpr(e.When, c.gaugeIx, c.flagIx)
		if err != nil {
			p.probs.Add(p.file, p.lines[e].when, "ending %s: when: %v", e.ID, err)
			continue
		}
		e.when = x
	}
}

func (p *parser) varID(id, kind string, line int, vars map[string]int) bool {
	switch {
	case !varIDRe.MatchString(id):
		p.probs.Add(p.file, line, "%s id %q must match %s", kind, id, varIDRe)
	case reserved(id):
		p.probs.Add(p.file, line, "%s id %q is a reserved word in conditions", kind, id)
	default:
		if prev, dup := vars[id]; dup {
			p.probs.Add(p.file, line, "%s id %q already used at line %d (gauges and flags share names)", kind, id, prev)
			return false
		}
		vars[id] = line
		return true
	}
	return false
}

func (p *parser) chapterIDs(ids []string, lines []int) {
	for i, id := range ids {
		if !courseIDRe.MatchString(id) {
			p.probs.Add(p.file, lines[i], "chapter id %q must match %s", id, courseIDRe)
		}
	}
}

func (p *parser) effectList(c *Case, what string, in []Effect) []geff {
	var out []geff
	for _, e := range in {
		gi, ok := c.gaugeIx[e.Gauge]
		if !ok {
			p.probs.Add(p.file, e.Line, "%s: unknown gauge %q", what, e.Gauge)
			continue
		}
		out = append(out, geff{gi, e.Amount})
	}
	return out
}

func (p *parser) flagSet(c *Case, what string, ids []string, lines []int) uint64 {
	var set uint64
	for i, id := range ids {
		bit, ok := c.flagIx[id]
		if !ok {
			p.probs.Add(p.file, lines[i], "%s: unknown flag %q", what, id)
			continue
		}
		set |= 1 << bit
	}
	return set
}

func (p *parser) resolveChoice(c *Case, s *Scene, ch *Choice) {
	rl := p.lines[ch]
	ch.chapterLines = rl.chapters
	what := fmt.Sprintf("scene %s choice %s", s.ID, ch.Key)
	p.chapterIDs(ch.Chapters, rl.chapters)
	switch ch.Next {
	case End:
		ch.next = -1
	default:
		if i, ok := c.sceneIx[ch.Next]; ok {
			ch.next = i
		} else {
			hint := ""
			if strings.EqualFold(ch.Next, End) {
				hint = " (write end in lower case to finish the run)"
			}
			p.probs.Add(p.file, ch.NextLine, "%s: next: unknown scene %q%s", what, ch.Next, hint)
		}
	}
	ch.eff = p.effectList(c, what+" effects", ch.Effects)
	ch.set = p.flagSet(c, what+" set_flags", ch.SetFlags, rl.setFlags)
	if ch.Requires != "" {
		x, err := compileExpr(ch.Requires, c.gaugeIx, c.flagIx)
		if err != nil {
			p.probs.Add(p.file, rl.when, "%s: requires: %v", what, err)
		}
		ch.requires = x
	}
	for i, cd := range ch.Conditional {
		crl := rl.conds[i]
		cw := fmt.Sprintf("%s conditional", what)
		x, err := compileExpr(cd.If, c.gaugeIx, c.flagIx)
		if err != nil {
			p.probs.Add(p.file, crl.when, "%s: if: %v", cw, err)
		}
		ch.cond = append(ch.cond, ccond{
			when: x,
			eff:  p.effectList(c, cw+" effects", cd.Effects),
			set:  p.flagSet(c, cw+" set_flags", cd.SetFlags, crl.setFlags),
		})
	}
}
