package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/roster-tui/roster/crm"
)

// Marks (k9s-style): space marks the user under the cursor, V marks the
// range from the last mark to the cursor, shift+arrows extend a run,
// ctrl+a marks every user the filter shows (loading every page first), esc
// clears them (asking first when there are many). The marks themselves are
// an index in usertable; this file is the list's keys and words for them.

// askClearAbove is how many marks esc clears without asking.
const askClearAbove = 10

// markKeys are the list's bindings for marks and what acts on them.
type markKeys struct {
	Mark, MarkRange, MarkUp, MarkDown, MarkAll, ClearMarks key.Binding
	BulkEdit, BulkDelete, Deactivate, Export, Create       key.Binding
}

func newMarkKeys(kb keyBindings) markKeys {
	k := markKeys{
		Mark:       key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "mark")),
		MarkRange:  key.NewBinding(key.WithKeys("V"), key.WithHelp("V", "mark range")),
		MarkUp:     key.NewBinding(key.WithKeys("shift+up"), key.WithHelp("shift+↑", "mark up")),
		MarkDown:   key.NewBinding(key.WithKeys("shift+down"), key.WithHelp("shift+↓", "mark down")),
		MarkAll:    key.NewBinding(key.WithKeys("ctrl+a"), key.WithHelp("ctrl+a", "mark all shown")),
		ClearMarks: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear marks")),
		BulkEdit:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit marked")),
		BulkDelete: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete marked")),
		Deactivate: key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "deactivate marked")),
		Export:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "export")),
		Create:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "create user")),
	}
	kb.remap(&k)
	return k
}

// listMarks is the list's state for marks and bulk actions; the zero
// value is ready.
type listMarks struct {
	// markAfterLoad: ctrl+a started a load all; mark the shown users when
	// it ends.
	markAfterLoad bool
}

// markTable is what marks need from the list's table (tableAdapter).
type markTable interface {
	ToggleMark() bool
	MarkRange() int
	MarkMove(delta int)
	MarkShown() int
	ClearMarks()
	Marked() int
	MarkedHidden() int
	MarkedUsers() []crm.User
	Mark(ids ...string)
	Unmark(ids ...string)
	ShownUsers(fn func(u *crm.User) bool)
}

func (t *tableAdapter) ToggleMark() bool                     { return t.m.ToggleMark() }
func (t *tableAdapter) MarkRange() int                       { return t.m.MarkRange() }
func (t *tableAdapter) MarkMove(delta int)                   { t.m.MarkMove(delta) }
func (t *tableAdapter) MarkShown() int                       { return t.m.MarkShown() }
func (t *tableAdapter) ClearMarks()                          { t.m.ClearMarks() }
func (t *tableAdapter) Marked() int                          { return t.m.Marked() }
func (t *tableAdapter) MarkedHidden() int                    { return t.m.MarkedHidden() }
func (t *tableAdapter) MarkedUsers() []crm.User              { return t.m.MarkedUsers() }
func (t *tableAdapter) Mark(ids ...string)                   { t.m.Mark(ids...) }
func (t *tableAdapter) Unmark(ids ...string)                 { t.m.Unmark(ids...) }
func (t *tableAdapter) ShownUsers(fn func(u *crm.User) bool) { t.m.ShownUsers(fn) }

// markedRowStyle is how a marked row stands out in colour (the gutter's *
// says it without colour).
func markedRowStyle(c *Common) lipgloss.Style {
	return c.Styles.Marked
}

func (l *listView) marks() markTable { return l.table.(markTable) }

// clearMarksMsg is the answer of the clear-marks question.
type clearMarksMsg struct{}

// onMarkKey handles the keys of marks and bulk actions; ok is false when
// the key is not one of them (or does nothing here), so the list goes on.
func (l *listView) onMarkKey(msg tea.KeyMsg) (cmd tea.Cmd, ok bool) {
	k, t := newMarkKeys(l.c.bindings), l.marks()
	switch {
	case key.Matches(msg, k.Mark):
		t.ToggleMark()
		l.table.MoveDown(1)
		return l.prefetch(), true
	case key.Matches(msg, k.MarkRange):
		t.MarkRange()
		return nil, true
	case key.Matches(msg, k.MarkUp):
		t.MarkMove(-1)
		return nil, true
	case key.Matches(msg, k.MarkDown):
		t.MarkMove(1)
		return l.prefetch(), true
	case key.Matches(msg, k.MarkAll):
		return l.markAll(), true
	case key.Matches(msg, k.ClearMarks) && t.Marked() > 0:
		if n := t.Marked(); n > askClearAbove {
			return push(newQuestionView(l.c, l.id, fmt.Sprintf("Clear %s marks?", groupDigits(n)),
				"Clear", clearMarksMsg{})), true
		}
		t.ClearMarks()
		return info("marks cleared"), true
	case t.Marked() > 0 && key.Matches(msg, k.BulkEdit):
		return l.openBulkEdit(), true
	case t.Marked() > 0 && key.Matches(msg, k.BulkDelete):
		return l.openBulkDelete(), true
	case t.Marked() > 0 && key.Matches(msg, k.Deactivate):
		return l.openBulkDeactivate(), true
	case key.Matches(msg, k.Export):
		return l.openExport(), true
	case key.Matches(msg, k.Create):
		if !crm.LiveInfo(l.c.Provider).Caps.Create {
			return info(clean(l.c.Info.Name) + " cannot create users here (the provider or your role)"), true
		}
		return push(newCreateView(l.c, l.id)), true
	}
	return nil, false
}

// markAll marks every user the filter shows; when not every user is
// loaded it loads them all first (with the progress bar) and marks when
// that ends.
func (l *listView) markAll() tea.Cmd {
	if l.next != "" {
		l.bulk.markAfterLoad = true
		if l.loadAllCancel != nil {
			return nil // already loading: mark when it ends
		}
		return tea.Batch(l.startLoadAll(), info("loading every user first, to mark all that match"))
	}
	n := l.marks().MarkShown()
	return info(fmt.Sprintf("marked %s more · %s marked", groupDigits(n), groupDigits(l.marks().Marked())))
}

// afterLoadAll marks the shown users when ctrl+a asked for it.
func (l *listView) afterLoadAll(ok bool) tea.Cmd {
	if !l.bulk.markAfterLoad {
		return nil
	}
	l.bulk.markAfterLoad = false
	if !ok {
		return nil
	}
	return l.markAll()
}

// onMarksMsg takes the answers addressed to the list about marks.
func (l *listView) onMarksMsg(msg tea.Msg) (tea.Cmd, bool) {
	if cmd, ok := l.onResumeMsg(msg); ok {
		return cmd, true
	}
	switch msg := msg.(type) {
	case clearMarksMsg:
		l.marks().ClearMarks()
		return info("marks cleared"), true
	case bulkDoneMsg:
		return l.onBulkDone(msg), true
	case bulkRereadMsg:
		for _, u := range msg.users {
			l.table.Upsert(u)
		}
		return nil, true
	}
	return nil, false
}

// marksStatus is the status bar's part about marks: "12 marked", and how
// many of them the filter hides.
func (l *listView) marksStatus() []string {
	t := l.marks()
	n := t.Marked()
	if n == 0 {
		return nil
	}
	s := groupDigits(n) + " marked"
	if h := t.MarkedHidden(); h > 0 {
		s += fmt.Sprintf(" (%s hidden by filter)", groupDigits(h))
	}
	return []string{s}
}

// marksHelp is the help's column for marks and bulk actions.
func (l *listView) marksHelp() []key.Binding {
	k := newMarkKeys(l.c.bindings)
	marked := l.marks().Marked() > 0
	k.ClearMarks.SetEnabled(marked)
	k.BulkEdit.SetEnabled(marked && l.c.CanUpdate())
	k.BulkDelete.SetEnabled(marked && l.c.CanDelete())
	k.Deactivate.SetEnabled(marked && l.c.CanUpdate())
	k.Create.SetEnabled(crm.LiveInfo(l.c.Provider).Caps.Create)
	_, deactivates := crm.DeactivateChanges(l.c.Provider)
	k.Deactivate.SetEnabled(marked && l.c.CanUpdate() && deactivates)
	return []key.Binding{k.Mark, k.MarkRange, k.MarkUp, k.MarkDown, k.MarkAll, k.ClearMarks,
		k.BulkEdit, k.BulkDelete, k.Deactivate, k.Export, k.Create}
}
