package ui

import (
	"context"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// detailView shows every field of one user: the schema's fields first, then
// whatever else the provider sent, in a scrollable viewport.
type detailView struct {
	viewBase
	backTo  int // the list's view id, where a delete returns to
	keys    detailKeys
	user    crm.User
	vp      viewport.Model
	loading string
	// stale: the values are the list's (maybe changed elsewhere since);
	// opening re-reads the user and shows the fresh ones when they come.
	stale    bool
	staleErr string          // why the re-read failed, "" otherwise
	editNext bool            // e was pressed while stale: edit once the re-read is in
	folds    []string        // keys of the folded-by-size fields, in order
	fold     int             // index into folds of the one enter/space toggles
	open     map[string]bool // folded fields the admin expanded
	foldAt   map[string]int  // content line of each foldable field
}

// userLoadedMsg is the answer of a reload.
type userLoadedMsg struct {
	user crm.User
	err  error
}

func newDetailView(c *Common, u crm.User, backTo int) *detailView {
	d := &detailView{viewBase: newViewBase(c), backTo: backTo, keys: newDetailKeys(c.bindings), user: u, open: map[string]bool{}, stale: true}
	d.vp = viewport.New(c.Width, c.Height)
	// only the scroll keys the help shows: the viewport's own d, u and
	// space would otherwise scroll when delete, undo or expand is off
	d.vp.KeyMap = viewport.KeyMap{Up: d.keys.Up, Down: d.keys.Down, PageDown: d.keys.PageDown, PageUp: d.keys.PageUp}
	d.applyCaps()
	d.render()
	return d
}

func (d *detailView) applyCaps() {
	d.keys.Edit.SetEnabled(d.c.CanUpdate())
	d.keys.Undo.SetEnabled(d.c.CanUpdate())
	d.keys.Delete.SetEnabled(d.c.CanDelete())
}

// Init re-reads the user: the list's copy may be old.
func (d *detailView) Init() tea.Cmd { return d.reread("refreshing") }

// reread asks the provider for the user again.
func (d *detailView) reread(what string) tea.Cmd {
	if d.loading != "" {
		return nil
	}
	d.loading = what
	d.render()
	p, id := d.c.Provider, d.user.ID
	return address(d.id, d.c.requests.request(d.ctx, func(ctx context.Context) tea.Msg {
		u, err := p.Get(ctx, id)
		return userLoadedMsg{u, err}
	}))
}

func (d *detailView) Title() string             { return termtext.Truncate(clean(d.user.DisplayName()), 40) }
func (d *detailView) Busy() string              { return d.loading }
func (d *detailView) ShortHelp() []key.Binding  { return d.keys.ShortHelp() }
func (d *detailView) FullHelp() [][]key.Binding { return d.keys.FullHelp() }

func (d *detailView) SetSize(w, h int) {
	d.vp.Width, d.vp.Height = w, h
	d.render()
}

func (d *detailView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case userSavedMsg:
		if msg.user.ID == d.user.ID {
			d.user = msg.user
			d.render()
		}
		return d, nil
	case userLoadedMsg:
		first := d.stale
		d.loading = ""
		if msg.err != nil {
			d.editNext = false
			d.staleErr = errText(msg.err)
			d.render()
			return d, failure(msg.err)
		}
		d.user, d.stale, d.staleErr = msg.user, false, ""
		d.render()
		if d.editNext { // the form starts from the provider's fields, which the list does not keep
			d.editNext = false
			return d, tea.Batch(broadcast(userSavedMsg{msg.user}), push(newEditView(d.c, d.user)))
		}
		if first { // opening: the fresh values are the news, no message
			return d, broadcast(userSavedMsg{msg.user})
		}
		return d, tea.Batch(broadcast(userSavedMsg{msg.user}), info("reloaded"))
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, d.c.Keys.Back):
			return d, pop
		case d.c.refusal(msg, d.keys.Edit, "edit users") != nil:
			return d, d.c.refusal(msg, d.keys.Edit, "edit users")
		case d.c.refusal(msg, d.keys.Undo, "change users") != nil:
			return d, d.c.refusal(msg, d.keys.Undo, "change users")
		case d.c.refusal(msg, d.keys.Delete, "delete users") != nil:
			return d, d.c.refusal(msg, d.keys.Delete, "delete users")
		case key.Matches(msg, d.keys.Edit) && d.stale:
			d.editNext = true // the list's copy has no provider fields to start the form from
			return d, d.reread("refreshing")
		case key.Matches(msg, d.keys.Edit):
			return d, push(newEditView(d.c, d.user))
		case key.Matches(msg, d.keys.Toggle) && len(d.folds) > 0:
			k := d.folds[d.fold]
			d.open[k] = !d.open[k]
			d.render()
			d.showFold()
			return d, nil
		case key.Matches(msg, d.keys.NextFold) && len(d.folds) > 0:
			d.fold = (d.fold + 1) % len(d.folds)
			d.render()
			d.showFold()
			return d, nil
		case key.Matches(msg, d.keys.Undo):
			return d, d.c.startUndo(d.user)
		case key.Matches(msg, d.keys.Delete):
			return d, push(newDeleteView(d.c, d.user, d.backTo))
		case key.Matches(msg, d.keys.Reload):
			return d, d.reread("reloading")
		}
	}
	var cmd tea.Cmd
	d.vp, cmd = d.vp.Update(msg)
	return d, cmd
}

func (d *detailView) View() string { return d.vp.View() }

// showFold scrolls so the focused foldable field's first line is visible.
func (d *detailView) showFold() {
	line, ok := d.foldAt[d.folds[d.fold]]
	if !ok {
		return
	}
	if line < d.vp.YOffset || line >= d.vp.YOffset+d.vp.Height {
		d.vp.SetYOffset(line)
	}
}

// heading is the user's name, and while the values are the list's copy,
// that they are being refreshed (or could not be).
func (d *detailView) heading() string {
	s := d.c.Styles
	name := clean(d.user.DisplayName())
	var note string
	switch {
	case d.stale && d.staleErr != "":
		note = " · not refreshed: " + d.staleErr
	case d.stale:
		note = " · refreshing…"
	}
	if note == "" {
		return s.Section.Render(termtext.Truncate(name, d.vp.Width))
	}
	name = termtext.Truncate(name, max(d.vp.Width-termtext.Width(note), d.vp.Width/2))
	return s.Section.Render(name) + s.Notice.Render(termtext.Truncate(note, max(d.vp.Width-termtext.Width(name), 0)))
}

// render lays out the fields into the viewport's content: the schema's
// fields, then the others; big lists and objects fold to one line.
// derivedRows are the title and status the list shows where the schema has
// no field for them (Truto's Salesforce users: the CRM's own Title and
// IsActive, read from remote_data), so an admin checking that someone is
// inactive sees it in the detail without unfolding the raw record. They
// follow the email.
func (d *detailView) derivedRows(schema crm.Schema) []detailRow {
	var rows []detailRow
	for _, derived := range []struct{ common, label, value string }{
		{"title", "Title", d.user.Title},
		{"status", "Status", crm.StatusWord(d.user)},
	} {
		if _, has := schema.Resolve(derived.common); !has && derived.value != "" {
			rows = append(rows, detailRow{derived.common, derived.label, derived.value})
		}
	}
	return rows
}

// detailRow is one labelled value of the detail.
type detailRow struct {
	key, label string
	raw        any
}

func (d *detailView) render() {
	s := d.c.Styles
	schema := d.c.Provider.Schema()
	fields := d.user.Fields()
	type row = detailRow
	var rows []row
	seen := map[string]bool{}
	for _, f := range schema.Fields {
		seen[f.Key] = true
		rows = append(rows, row{f.Key, clean(f.Label), d.user.Value(f.Key)})
		if f.Common == "email" {
			rows = append(rows, d.derivedRows(schema)...)
		}
	}
	var extra []string
	for k := range fields {
		if !seen[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	labelW := 0
	for _, r := range rows {
		labelW = max(labelW, termtext.Width(r.label))
	}
	for _, k := range extra {
		labelW = max(labelW, termtext.Width(clean(k)))
	}
	labelW = min(labelW, max(d.vp.Width/3, 10))
	valueW := max(d.vp.Width-labelW-3, 10)
	valueStyle := d.c.r.NewStyle().Width(valueW)

	var folds []string
	d.foldAt = map[string]int{}
	var b strings.Builder
	lines := 0
	write := func(text string) {
		b.WriteString(text + "\n")
		lines += strings.Count(text, "\n") + 1
	}
	line := func(r row) {
		sv := showValue(r.raw, valueW, d.open[r.key])
		value := sv.text
		if sv.foldable {
			focused := len(folds) == d.fold
			folds = append(folds, r.key)
			d.foldAt[r.key] = lines
			hint := " — enter/space to expand"
			if d.open[r.key] {
				hint = " — enter/space to fold"
			}
			if len(d.folds) > 1 {
				hint += ", tab: next"
			}
			var head string
			if focused {
				head = s.Label.Render("▸ "+sv.summary) + s.Muted.Render(hint)
			} else {
				head = s.Muted.Render("  " + sv.summary + hint)
			}
			if value == "" {
				value = head
			} else {
				value = head + "\n" + value
			}
		}
		if value == "" {
			value = s.Muted.Render("—")
		}
		write(lipgloss.JoinHorizontal(lipgloss.Top, s.Label.Render(termtext.Fit(r.label, labelW)), "   ", valueStyle.Render(value)))
	}
	write(d.heading() + "\n")
	for _, r := range rows {
		line(r)
	}
	if len(extra) > 0 {
		write("\n" + s.Section.Render("Other fields from "+clean(d.c.Info.Label)) + "\n")
		for _, k := range extra {
			line(row{k, clean(k), fields[k]})
		}
	}
	d.folds = folds
	if d.fold >= len(folds) {
		d.fold = 0
	}
	d.keys.Toggle.SetEnabled(len(folds) > 0)
	d.keys.NextFold.SetEnabled(len(folds) > 1)
	d.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}
