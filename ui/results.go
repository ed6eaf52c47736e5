package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/run"
	"github.com/roster-tui/roster/ui/termtext"
)

// bulkResultsView is the end of a run: which users changed, every failure
// with the provider's message (sanitised), outcomes that are unknown until
// a read settles them, the users a cancel never started, and the skipped.
// r retries the failed and unknown ones: a new plan reads them first, so a
// write that did land is not sent again.
type bulkResultsView struct {
	viewBase
	backTo    int
	kind      bulkKind
	plan      run.Plan
	users     map[string]crm.User
	names     map[string]string
	journal   string
	cancelled bool
	err       string

	applied, failed, unknown, notStarted, skipped []string
	errs                                          map[string]string
	lines                                         []string
	offset                                        int
	keys                                          resultKeys
}

type resultKeys struct{ Retry, Up, Down, Close key.Binding }

func newBulkResultsView(c *Common, backTo int, kind bulkKind, plan run.Plan, users []crm.User, results []run.Result, journal string, cancelled bool, err error) *bulkResultsView {
	v := &bulkResultsView{viewBase: newViewBase(c), backTo: backTo, kind: kind, plan: plan,
		users: map[string]crm.User{}, names: userNames(users), journal: journal, cancelled: cancelled,
		errs: map[string]string{},
		keys: resultKeys{
			Retry: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry the failed")),
			Up:    key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑", "scroll")),
			Down:  key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", "scroll")),
			Close: key.NewBinding(key.WithKeys("esc", "enter"), key.WithHelp("esc", "back to the list")),
		}}
	c.bindings.remap(&v.keys)
	if err != nil {
		v.err = errText(err)
	}
	for _, u := range users {
		v.users[u.ID] = u
	}
	for _, r := range results {
		switch {
		case r.Outcome == run.Applied:
			v.applied = append(v.applied, r.ID)
		case r.Outcome == run.Unchanged:
			v.skipped = append(v.skipped, r.ID)
		case r.Outcome == run.Unknown:
			v.unknown = append(v.unknown, r.ID)
			v.errs[r.ID] = errText(r.Err)
		case errors.Is(r.Err, context.Canceled):
			v.notStarted = append(v.notStarted, r.ID)
		default:
			v.failed = append(v.failed, r.ID)
			v.errs[r.ID] = errText(r.Err)
		}
	}
	for id, msg := range plan.Failed { // could not even be read while planning
		v.failed = append(v.failed, id)
		v.errs[id] = clean(msg)
	}
	v.skipped = append(v.skipped, plan.Unchanged...)
	v.keys.Retry.SetEnabled(len(v.failed)+len(v.unknown) > 0)
	v.lines = v.resultLines()
	return v
}

func (v *bulkResultsView) Title() string { return "results" }
func (v *bulkResultsView) Init() tea.Cmd { return nil }
func (v *bulkResultsView) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Retry, v.keys.Down, v.keys.Close}
}
func (v *bulkResultsView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *bulkResultsView) Update(msg tea.Msg) (Component, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return v, nil
	}
	switch {
	case key.Matches(k, v.keys.Close):
		return v, pop
	case key.Matches(k, v.keys.Up):
		v.offset = max(v.offset-1, 0)
	case key.Matches(k, v.keys.Down):
		v.offset = min(v.offset+1, max(len(v.lines)-v.listHeight(), 0))
	case key.Matches(k, v.keys.Retry):
		return v, v.retry()
	}
	return v, nil
}

// retry plans again for the failed and unknown users only: the preview
// reads them first, so what landed meanwhile is skipped, not re-sent.
func (v *bulkResultsView) retry() tea.Cmd {
	steps := map[string]run.Step{}
	for _, s := range v.plan.Steps {
		steps[s.ID] = s
	}
	var users []crm.User
	var items []run.Item
	for _, id := range append(append([]string{}, v.failed...), v.unknown...) {
		u, ok := v.users[id]
		if !ok {
			u = crm.User{ID: id}
		}
		users = append(users, u)
		item := run.Item{ID: id}
		if s, ok := steps[id]; ok && v.kind != bulkDelete {
			item.Set = s.Set()
		}
		items = append(items, item)
	}
	if v.kind != bulkDelete {
		// a user that failed while planning has no step: use any step's set
		// (a bulk edit sets the same fields on everyone)
		var any crm.Changes
		for _, s := range v.plan.Steps {
			any = s.Set()
			break
		}
		for i := range items {
			if items[i].Set == nil {
				items[i].Set = any
			}
		}
	}
	return inOrder(pop, push(newBulkPreviewView(v.c, v.backTo, v.kind, users, items)))
}

func (v *bulkResultsView) listHeight() int { return max(v.h-2-2-3-2, 1) }

// resultLines: failures first (what needs the admin), then unknown, then
// who changed, who was not started.
func (v *bulkResultsView) resultLines() []string {
	var out []string
	for _, id := range v.failed {
		out = append(out, "✗ "+v.names[id]+"\x00"+v.errs[id])
	}
	for _, id := range v.unknown {
		out = append(out, "? "+v.names[id]+"\x00outcome unknown, may have happened ("+v.errs[id]+"); r reads it and retries only if needed")
	}
	for _, id := range v.applied {
		out = append(out, "✓ "+v.names[id]+"\x00"+v.kind.past())
	}
	for _, id := range v.notStarted {
		out = append(out, "· "+v.names[id]+"\x00not started (cancelled): unchanged")
	}
	return out
}

func (v *bulkResultsView) summary() string {
	total := len(v.plan.Steps) + len(v.plan.Unchanged) + len(v.plan.Failed)
	parts := []string{fmt.Sprintf("%s %d of %d", v.kind.past(), len(v.applied), total)}
	if n := len(v.failed); n > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", n))
	}
	if n := len(v.unknown); n > 0 {
		parts = append(parts, fmt.Sprintf("%d unknown", n))
	}
	if n := len(v.skipped); n > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped (no change)", n))
	}
	if n := len(v.notStarted); n > 0 {
		parts = append(parts, fmt.Sprintf("%d not started", n))
	}
	return strings.Join(parts, " · ")
}

func (v *bulkResultsView) View() string {
	s := v.c.Styles
	width := min(max(v.w-6, 20), 100)
	var b strings.Builder
	head := "Done"
	if v.cancelled {
		head = "Cancelled: only the users marked ✓ were changed"
	}
	if v.err != "" {
		head = "Stopped: " + v.err
	}
	b.WriteString(s.Section.Render(termtext.Truncate(head, width)) + "\n\n")
	b.WriteString(termtext.Truncate(v.summary(), width) + "\n\n")
	nameW := 0
	for _, l := range v.lines {
		who, _, _ := strings.Cut(l, "\x00")
		nameW = max(nameW, termtext.Width(who))
	}
	nameW = min(nameW, width/3)
	room := v.listHeight()
	if len(v.lines)-v.offset > room {
		room = max(room-1, 1)
	}
	// a failure's message is the provider's whole answer: it wraps (up to
	// three lines) instead of being cut where the reason usually is
	textW := max(width-nameW-2, 1)
	used, shown := 0, 0
	for _, l := range v.lines[min(v.offset, len(v.lines)):] {
		who, what, _ := strings.Cut(l, "\x00")
		st := s.Message
		parts := []string{termtext.Truncate(what, textW)}
		switch {
		case strings.HasPrefix(who, "✗"), strings.HasPrefix(who, "?"):
			st = s.Error
			parts = strings.Split(ansi.Wrap(what, textW, " "), "\n")
			if len(parts) > 3 {
				parts = append(parts[:2], termtext.Truncate(strings.Join(parts[2:], " "), textW))
			}
		case strings.HasPrefix(who, "✓"):
			st = s.Success
		}
		if used+len(parts) > room && used == 0 {
			// too short for the whole message: the first line still shows
			// who failed and why, cut (enter on nothing; ↓ scrolls on)
			parts = []string{termtext.Truncate(what, textW)}
		}
		if used+len(parts) > room {
			break
		}
		for i, p := range parts {
			name := ""
			if i == 0 {
				name = who
			}
			b.WriteString(st.Render(termtext.Fit(name, nameW)) + "  " + termtext.Truncate(p, textW) + "\n")
		}
		used += len(parts)
		shown++
	}
	if more := len(v.lines) - v.offset - shown; more > 0 {
		b.WriteString(s.Muted.Render(termtext.Truncate(fmt.Sprintf("… %d more (↓)", more), width)) + "\n")
	}
	foot := "run " + v.plan.Run + " · audited with this run id"
	if v.journal != "" {
		foot += " · journal " + v.journal
	}
	b.WriteString("\n" + s.Muted.Render(termtext.Truncate(foot, width)))
	return fixedDialog(v.c, v.w, v.h, width, b.String())
}
