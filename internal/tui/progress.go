package tui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/internal/progress"
	"github.com/kaizen-mlops/kaizen/portfolio"
)

// progressTab is the part of the progress screen on show.
type progressTab int

const (
	tabOverview progressTab = iota // bars, heatmap, streak, charts
	tabLinks                       // portfolio links of passed exercises and case studies
)

func (t progressTab) String() string {
	if t == tabLinks {
		return "links"
	}
	return "overview"
}

// progressKeys are the progress screen's keys.
type progressKeys struct {
	Switch    key.Binding
	Up        key.Binding
	Down      key.Binding
	PageUp    key.Binding
	PageDown  key.Binding
	Top       key.Binding
	Bottom    key.Binding
	Edit      key.Binding
	NextField key.Binding
	PrevField key.Binding
	Save      key.Binding
	Cancel    key.Binding
	Write     key.Binding
}

func newProgressKeys() progressKeys {
	return progressKeys{
		Switch:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "overview/links")),
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "space", "f"), key.WithHelp("pgdn/space", "page down")),
		Top:       key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Edit:      key.NewBinding(key.WithKeys("enter", "e"), key.WithHelp("enter", "edit links")),
		NextField: key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		PrevField: key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		Save:      key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Write:     key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write portfolio")),
	}
}

// Progress shows how far the learner has come: per-chapter bars, an activity heatmap, the
// daily streak, quiz accuracy by week, reading time and due reviews; its second tab attaches
// repository and video links to passed exercises and case studies for the portfolio.
type Progress struct {
	c      *Common
	keys   progressKeys
	tab    progressTab
	model  *portfolio.Model
	err    error
	width  int
	height int
	offset int // first overview line shown
	cursor int // selected link item
	form   *linkForm
	// writing is true while the portfolio is being written.
	writing bool
}

var (
	_ Screen      = (*Progress)(nil)
	_ Capturer    = (*Progress)(nil)
	_ BackHandler = (*Progress)(nil)
)

// NewProgress builds the progress screen.
func NewProgress(c *Common) *Progress {
	return &Progress{c: c, keys: newProgressKeys()}
}

// progressLoadedMsg carries the learner's record.
type progressLoadedMsg struct {
	model *portfolio.Model
	err   error
}

// linkSavedMsg reports a saved link.
type linkSavedMsg struct {
	title string
	err   error
}

func loadRecordCmd(c *Common) tea.Cmd {
	return func() tea.Msg {
		if c.Store == nil {
			return progressLoadedMsg{err: errors.New("progress is not available in this session")}
		}
		m, err := progress.Load(c.Ctx, progress.Source{Store: c.Store, Learner: c.Learner, Catalog: c.Catalog, Now: c.Now()})
		return progressLoadedMsg{model: m, err: err}
	}
}

// portfolioWrittenMsg reports a portfolio export.
type portfolioWrittenMsg struct {
	summary string
	err     error
}

// writePortfolioCmd writes the learner's portfolio into portfolio.DefaultDir under the
// current directory, as `kaizen portfolio` does: into a new or empty directory, or over an
// earlier export of kaizen's (only the files it wrote there are replaced).
func writePortfolioCmd(c *Common) tea.Cmd {
	return func() tea.Msg {
		if c.Store == nil {
			return portfolioWrittenMsg{err: errors.New("progress is not available in this session")}
		}
		dir, err := filepath.Abs(portfolio.DefaultDir)
		if err != nil {
			return portfolioWrittenMsg{err: err}
		}
		l, err := c.Store.LearnerByID(c.Ctx, c.Learner)
		if err != nil {
			return portfolioWrittenMsg{err: err}
		}
		m, err := progress.Load(c.Ctx, progress.Source{Store: c.Store, Learner: c.Learner, Name: l.Name, Catalog: c.Catalog, Workspace: c.Workspace, Now: c.Now()})
		if err != nil {
			return portfolioWrittenMsg{err: err}
		}
		_, statErr := os.Stat(filepath.Join(dir, portfolio.ManifestFile))
		res, err := portfolio.Export(m, portfolio.ExportOptions{Dir: dir, Markdown: true, HTML: true, Force: statErr == nil})
		var notEmpty *portfolio.NotEmptyError
		if errors.As(err, &notEmpty) {
			err = fmt.Errorf("%s already holds files kaizen did not write: move them away, or write elsewhere with kaizen portfolio --out DIR", dir)
		}
		if err != nil {
			return portfolioWrittenMsg{err: err}
		}
		return portfolioWrittenMsg{summary: fmt.Sprintf("Portfolio written to %s (%d files)", res.Dir, len(res.Written))}
	}
}

func saveLinkCmd(c *Common, subject, title string, l portfolio.Links) tea.Cmd {
	if c.Store == nil {
		return nil
	}
	return func() tea.Msg {
		err := c.Store.SetLink(c.Ctx, c.Learner, subject, l.Repo, l.Video)
		return linkSavedMsg{title: title, err: err}
	}
}

// Init loads the record.
func (p *Progress) Init() tea.Cmd { return loadRecordCmd(p.c) }

// Title names the screen.
func (p *Progress) Title() string { return "Progress" }

// SetSize sets the body size.
func (p *Progress) SetSize(w, h int) {
	p.width, p.height = w, h
	if p.form != nil {
		p.form.setWidth(w)
	}
}

// Capturing is true while a link is being typed.
func (p *Progress) Capturing() bool { return p.form != nil }

// HandlesBack is true while editing links: esc cancels the form, not the screen.
func (p *Progress) HandlesBack() bool { return p.form != nil }

// Help lists the keys of the current state.
func (p *Progress) Help() [][]key.Binding {
	k := p.keys
	switch {
	case p.form != nil:
		return [][]key.Binding{{withHelp(k.Edit, "enter", "next/save"), k.NextField, k.Cancel}, {k.PrevField, k.Save}}
	case p.tab == tabLinks:
		return [][]key.Binding{{k.Edit, k.Up, k.Down, withHelp(k.Switch, "tab", "overview")}, p.withWrite(k.Top, k.Bottom)}
	}
	return [][]key.Binding{{withHelp(k.Switch, "tab", "links"), k.Down, k.Up}, p.withWrite(k.PageDown, k.PageUp, k.Top, k.Bottom)}
}

// withWrite adds the write-portfolio key where it works (not on a class server, whose
// disk is not the learner's).
func (p *Progress) withWrite(bs ...key.Binding) []key.Binding {
	if p.c.ClassMode {
		return bs
	}
	return append(bs, p.keys.Write)
}

// withHelp returns a copy of b with other help text.
func withHelp(b key.Binding, keyText, desc string) key.Binding {
	b.SetHelp(keyText, desc)
	return b
}

// Update handles keys and loaded data.
func (p *Progress) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case progressLoadedMsg:
		if msg.err != nil {
			p.err = msg.err
			return p, func() tea.Msg { return errMsg{wrapErr("load progress", msg.err)} }
		}
		p.model, p.err = msg.model, nil
		p.cursor = min(p.cursor, max(len(p.linkItems())-1, 0))
		p.offset = p.clampOffset(p.offset)
	case refreshMsg:
		return p, loadRecordCmd(p.c)
	case portfolioWrittenMsg:
		p.writing = false
		if msg.err != nil {
			return p, func() tea.Msg { return errMsg{wrapErr("write portfolio", msg.err)} }
		}
		return p, func() tea.Msg { return statusMsg(msg.summary) }
	case linkSavedMsg:
		if msg.err != nil {
			return p, func() tea.Msg { return errMsg{wrapErr("save links", msg.err)} }
		}
		p.form = nil
		return p, tea.Batch(loadRecordCmd(p.c), func() tea.Msg { return statusMsg("Links saved for " + msg.title) })
	case tea.KeyPressMsg:
		if p.form != nil {
			return p, p.updateForm(msg)
		}
		return p, p.handleKey(msg)
	case tea.MouseWheelMsg:
		if p.form != nil {
			return p, nil
		}
		if msg.Button == tea.MouseWheelUp {
			p.move(-1)
		} else if msg.Button == tea.MouseWheelDown {
			p.move(1)
		}
	default:
		if p.form != nil {
			return p, p.form.update(msg)
		}
	}
	return p, nil
}

func (p *Progress) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.keys
	page := max(p.height-2, 1)
	switch {
	case key.Matches(msg, k.Switch):
		if p.tab == tabOverview {
			p.tab = tabLinks
		} else {
			p.tab = tabOverview
		}
	case key.Matches(msg, k.Up):
		p.move(-1)
	case key.Matches(msg, k.Down):
		p.move(1)
	case key.Matches(msg, k.PageUp):
		p.move(-page)
	case key.Matches(msg, k.PageDown):
		p.move(page)
	case key.Matches(msg, k.Top):
		p.move(-1 << 20)
	case key.Matches(msg, k.Bottom):
		p.move(1 << 20)
	case key.Matches(msg, k.Write) && !p.c.ClassMode:
		if p.writing {
			return nil
		}
		p.writing = true
		return writePortfolioCmd(p.c)
	case p.tab == tabLinks && key.Matches(msg, k.Edit):
		items := p.linkItems()
		if p.cursor < len(items) {
			p.form = newLinkForm(items[p.cursor], p.width)
			return p.form.focusCmd()
		}
	}
	return nil
}

// move scrolls the overview or moves the link cursor.
func (p *Progress) move(by int) {
	if p.tab == tabLinks {
		p.cursor = min(max(p.cursor+by, 0), max(len(p.linkItems())-1, 0))
		return
	}
	p.offset = p.clampOffset(p.offset + by)
}

func (p *Progress) clampOffset(off int) int {
	if p.model == nil {
		return 0
	}
	n := len(p.overviewLines())
	return min(max(off, 0), max(n-p.height, 0))
}

func (p *Progress) updateForm(msg tea.KeyPressMsg) tea.Cmd {
	f, k := p.form, p.keys
	switch {
	case key.Matches(msg, k.Cancel):
		p.form = nil
		return nil
	case key.Matches(msg, k.Save):
		return p.submit()
	case msg.String() == "enter":
		if f.focus == 0 {
			return f.setFocus(1)
		}
		return p.submit()
	case key.Matches(msg, k.NextField):
		return f.setFocus((f.focus + 1) % 2)
	case key.Matches(msg, k.PrevField):
		return f.setFocus((f.focus + 1) % 2)
	}
	f.err = ""
	return f.update(msg)
}

func (p *Progress) submit() tea.Cmd {
	f := p.form
	links, err := portfolio.ValidateLinks(f.repo.Value(), f.video.Value())
	if err != nil {
		f.err = err.Error()
		return nil
	}
	return saveLinkCmd(p.c, f.item.subject, f.item.title, links)
}

// linkItem is an exercise or a case study that can carry portfolio links.
type linkItem struct {
	subject string
	kind    string // "exercise" or "case study"
	title   string
	links   portfolio.Links
}

// linkItems lists passed exercises and played case studies.
func (p *Progress) linkItems() []linkItem {
	if p.model == nil {
		return nil
	}
	var out []linkItem
	for _, e := range p.model.Passed() {
		out = append(out, linkItem{subject: e.ID, kind: "exercise", title: e.Title, links: e.Links})
	}
	for _, c := range p.model.PlayedCases() {
		out = append(out, linkItem{subject: c.ID, kind: "case study", title: c.Title, links: c.Links})
	}
	return out
}

// linkForm edits the two links of one item.
type linkForm struct {
	item  linkItem
	repo  textinput.Model
	video textinput.Model
	focus int // 0 repo, 1 video
	err   string
}

func newLinkForm(it linkItem, width int) *linkForm {
	f := &linkForm{item: it}
	for i, in := range []*textinput.Model{&f.repo, &f.video} {
		*in = textinput.New()
		in.SetStyles(steadyInput(in.Styles()))
		in.Prompt = "› "
		in.CharLimit = portfolio.MaxURLLength
		in.Placeholder = []string{"https://github.com/you/project", "https://www.youtube.com/watch?v=…"}[i]
	}
	f.repo.SetValue(it.links.Repo)
	f.video.SetValue(it.links.Video)
	f.setWidth(width)
	return f
}

func (f *linkForm) setWidth(w int) {
	f.repo.SetWidth(max(w-4, 10))
	f.video.SetWidth(max(w-4, 10))
}

func (f *linkForm) focusCmd() tea.Cmd { return f.setFocus(f.focus) }

func (f *linkForm) setFocus(i int) tea.Cmd {
	f.focus = i
	if i == 0 {
		f.video.Blur()
		return f.repo.Focus()
	}
	f.repo.Blur()
	return f.video.Focus()
}

func (f *linkForm) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	if f.focus == 0 {
		f.repo, cmd = f.repo.Update(msg)
	} else {
		f.video, cmd = f.video.Update(msg)
	}
	return cmd
}
