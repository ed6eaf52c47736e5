package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/run"
	"github.com/roster-tui/roster/ui/termtext"
)

// A bulk run interrupted (a crash, kill -9, a lost SSH session, a cancel)
// leaves its journal unfinished. When the console opens a provider it looks
// for one on that provider and asks, Not now first, whether to resume it:
// crm/run's Resume, as `roster runs resume` does, so confirmed writes are
// not sent again and unknown outcomes are read before anything is sent.

// unfinishedRunMsg is the newest unfinished run on the list's provider.
type unfinishedRunMsg struct {
	summary run.Summary
	state   run.State
	more    int // other unfinished runs on the provider
}

// resumeRunMsg: the admin chose to resume.
type resumeRunMsg struct{ unfinishedRunMsg }

// offerResume looks for unfinished runs on the list's provider, when the
// role may write at all (the guard would refuse a resume anyway). The demo
// offers none: its sandbox is generated afresh by every process, so what
// an earlier demo run wrote is gone and its journal no longer says what
// the users hold.
func (l *listView) offerResume() tea.Cmd {
	if l.c.Demo || (!l.c.CanUpdate() && !l.c.CanDelete()) {
		return nil
	}
	provider, demo := l.c.Info.Name, l.c.Demo
	return address(l.id, func() tea.Msg {
		dir, err := run.Dir()
		if err != nil {
			return nil
		}
		list, err := run.Unfinished(dir, provider, demo)
		if err != nil || len(list) == 0 {
			return nil
		}
		st, err := run.ReadJournal(list[0].Path)
		if err != nil {
			return nil
		}
		return unfinishedRunMsg{summary: list[0], state: st, more: len(list) - 1}
	})
}

// mayRun says whether the role may do what a run of op does now.
func (l *listView) mayRun(op run.Op) bool {
	if op == run.OpDelete {
		return l.c.CanDelete()
	}
	return l.c.CanUpdate()
}

// onResumeMsg takes the offer and the answer (from onMarksMsg).
func (l *listView) onResumeMsg(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case unfinishedRunMsg:
		if !l.mayRun(msg.summary.Op) {
			return nil, true
		}
		return push(newResumeOfferView(l.c, l.id, msg, describeRunAction(l.c.Provider, msg.state.Plan))), true
	case resumeRunMsg:
		plan := msg.state.Plan
		users := l.usersOf(plan)
		return inOrder(popTo(l.id), push(newResumedRunView(l.c, l.id, runKind(l.c.Provider, plan), msg.state, msg.summary.Path, users))), true
	}
	return nil, false
}

// usersOf are the plan's users as loaded (for their names); a user not
// loaded is shown by id.
func (l *listView) usersOf(plan run.Plan) []crm.User {
	loaded := map[string]crm.User{}
	want := map[string]bool{}
	for _, s := range plan.Steps {
		want[s.ID] = true
	}
	l.marks().ShownUsers(func(u *crm.User) bool {
		if want[u.ID] {
			loaded[u.ID] = *u
		}
		return len(loaded) < len(want)
	})
	users := make([]crm.User, len(plan.Steps))
	for i, s := range plan.Steps {
		if u, ok := loaded[s.ID]; ok {
			users[i] = u
		} else {
			users[i] = crm.User{ID: s.ID}
		}
	}
	return users
}

// runKind is the bulk action a journaled plan was: a delete, the
// provider's deactivation (crm.DeactivateChanges, every step setting only
// it), or an edit.
func runKind(p crm.Provider, plan run.Plan) bulkKind {
	if plan.Op == run.OpDelete {
		return bulkDelete
	}
	set, ok := crm.DeactivateChanges(p)
	if !ok || len(plan.Steps) == 0 {
		return bulkEdit
	}
	schema := p.Schema()
	for _, s := range plan.Steps {
		for _, c := range s.Changes {
			if want, found := set[c.Key]; !found || !run.Same(schema, c.Key, c.New, want) {
				return bulkEdit
			}
		}
	}
	return bulkDeactivate
}

// describeRunAction is what the run does, in the schema's words:
// "update Department, Title", "deactivate", "delete".
func describeRunAction(p crm.Provider, plan run.Plan) string {
	kind := runKind(p, plan)
	if kind != bulkEdit {
		return kind.verb()
	}
	schema := p.Schema()
	seen := map[string]bool{}
	var labels []string
	for _, s := range plan.Steps {
		for _, c := range s.Changes {
			if seen[c.Key] {
				continue
			}
			seen[c.Key] = true
			label := c.Key
			if f, ok := schema.Field(c.Key); ok && f.Label != "" {
				label = f.Label
			}
			labels = append(labels, clean(label))
		}
	}
	if len(labels) == 0 {
		return "update"
	}
	return "update " + strings.Join(labels, ", ")
}

// resumeOfferView asks whether to resume an unfinished run, saying what it
// was; the focus starts on Not now.
type resumeOfferView struct {
	viewBase
	backTo int
	offer  unfinishedRunMsg
	action string
	keys   confirmKeys
	btn    buttons
}

func newResumeOfferView(c *Common, backTo int, offer unfinishedRunMsg, action string) *resumeOfferView {
	return &resumeOfferView{viewBase: newViewBase(c), backTo: backTo, offer: offer, action: action,
		keys: newConfirmKeys(c.bindings), btn: buttons{labels: []string{"Not now", "Resume"}}}
}

func (v *resumeOfferView) Init() tea.Cmd             { return nil }
func (v *resumeOfferView) Title() string             { return "resume?" }
func (v *resumeOfferView) ShortHelp() []key.Binding  { return v.keys.ShortHelp() }
func (v *resumeOfferView) FullHelp() [][]key.Binding { return v.keys.FullHelp() }

func (v *resumeOfferView) Update(msg tea.Msg) (Component, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return v, nil
	}
	switch v.btn.press(k, v.keys) {
	case pressedCancel, 0:
		return v, inOrder(pop, notice("not resumed: roster runs resume "+v.offer.summary.Run+" continues it later"))
	case 1:
		answer := resumeRunMsg{v.offer}
		return v, inOrder(pop, address(v.backTo, func() tea.Msg { return answer }))
	}
	return v, nil
}

// lines are the offer's facts: what, how far, when, which run.
func (v *resumeOfferView) lines() []string {
	s := v.offer.summary
	done := s.Users - s.Left()
	counts := fmt.Sprintf("%s: %d done, %d left", howMany(s.Users, "user"), done, s.Left())
	var why []string
	if n := s.Unknown + s.Interrupted; n > 0 {
		why = append(why, fmt.Sprintf("%d may have been written: read first", n))
	}
	if s.Retryable > 0 {
		why = append(why, fmt.Sprintf("%d to try again", s.Retryable))
	}
	out := []string{v.action, counts}
	if len(why) > 0 {
		out = append(out, strings.Join(why, ", "))
	}
	when := "started " + s.Started.UTC().Format("2006-01-02 15:04 UTC")
	if s.Started.IsZero() {
		when = "started at an unknown time"
	}
	out = append(out, when)
	if v.h < 14 {
		return out // a small terminal keeps what the run was and how far it got
	}
	out = append(out, "run "+s.Run)
	if v.offer.more > 0 {
		out = append(out, fmt.Sprintf("%d more unfinished: roster runs list", v.offer.more))
	}
	return out
}

func (v *resumeOfferView) View() string {
	width := min(max(v.w-10, 20), 64)
	st := v.c.Styles
	var b strings.Builder
	b.WriteString(st.Section.Render(termtext.Truncate("Resume an unfinished run?", width)) + "\n\n")
	for _, l := range v.lines() {
		b.WriteString(termtext.Truncate(l, width) + "\n")
	}
	if v.h >= 14 {
		b.WriteString("\n" + st.Muted.Render(termtext.Truncate("confirmed writes are not sent again", width)) + "\n")
	}
	b.WriteString("\n")
	b.WriteString(v.btn.view(st, false))
	return fixedDialog(v.c, v.w, v.h, width, b.String())
}
