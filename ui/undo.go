package ui

import (
	"encoding/json"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// undoEntry is one update made in this session: the user before and after
// it and the fields it changed.
type undoEntry struct {
	seq      int
	provider string // Info.Name: undo goes to the same provider
	before   crm.User
	after    crm.User
	keys     []string
}

// undoHistory is the session's updates, oldest first: one per program
// (Common.undo), never in package state.
type undoHistory struct {
	entries []undoEntry
	next    int
}

// record remembers a save that changed something.
func (h *undoHistory) record(provider string, before, after crm.User, changes crm.Changes) {
	var keys []string
	for _, k := range changes.Keys() {
		if valueText(before.Value(k)) != valueText(after.Value(k)) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 || after.ID == "" {
		return
	}
	h.next++
	h.entries = append(h.entries, undoEntry{seq: h.next, provider: provider, before: before, after: after, keys: keys})
}

// last is the newest update of a user, if any.
func (h *undoHistory) last(provider, id string) (undoEntry, bool) {
	for i := len(h.entries) - 1; i >= 0; i-- {
		if e := h.entries[i]; e.provider == provider && e.after.ID == id {
			return e, true
		}
	}
	return undoEntry{}, false
}

// drop forgets an entry once it is undone.
func (h *undoHistory) drop(seq int) {
	for i, e := range h.entries {
		if e.seq == seq {
			h.entries = append(h.entries[:i], h.entries[i+1:]...)
			return
		}
	}
}

// revert is the update back to the old values.
func (e undoEntry) revert() crm.Changes {
	ch := crm.Changes{}
	for _, k := range e.keys {
		ch[k] = asEdit(e.before.Value(k))
	}
	return ch
}

// asEdit turns a value as the provider sent it into the form an edit has
// (string, bool, []string or nil), which is what adapters accept.
func asEdit(v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if v == "" {
			return nil
		}
		return v
	case json.Number:
		return v.String()
	case []any:
		if strs, ok := stringList(v); ok {
			return strs
		}
	}
	return v
}

// recordSave keeps the session's undo history in step with every save
// result, whichever view asked for it.
func (c *Common) recordSave(msg saveResultMsg) {
	switch {
	case msg.undoOf != 0 && msg.err == nil:
		c.undo.drop(msg.undoOf)
	case msg.undoOf == 0 && (msg.err == nil || msg.partial()):
		c.undo.record(c.Info.Name, msg.original, msg.user, msg.changes)
	}
}

// startUndo opens the undo confirmation for u, or says there is nothing.
func (c *Common) startUndo(u crm.User) tea.Cmd {
	if !c.CanUpdate() {
		return notice(clean(c.Info.Name) + " does not allow edits")
	}
	e, ok := c.undo.last(c.Info.Name, u.ID)
	if !ok {
		return notice("nothing to undo for " + clean(u.DisplayName()) + " in this session")
	}
	return push(newUndoView(c, e))
}

// undoView shows field: now → back to, and runs the undo; focus starts on
// Cancel.
type undoView struct {
	viewBase
	entry  undoEntry
	labels []string // of entry.keys
	keys   confirmKeys
	btn    buttons
	busy   bool
	failed string
}

func newUndoView(c *Common, e undoEntry) *undoView {
	v := &undoView{viewBase: newViewBase(c), entry: e, labels: c.fieldLabels(e.keys),
		keys: newConfirmKeys(c.bindings), btn: buttons{labels: []string{"Cancel", "Undo"}}}
	return v
}

func (v *undoView) Init() tea.Cmd             { return nil }
func (v *undoView) Title() string             { return "undo?" }
func (v *undoView) ShortHelp() []key.Binding  { return v.keys.ShortHelp() }
func (v *undoView) FullHelp() [][]key.Binding { return v.keys.FullHelp() }
func (v *undoView) Busy() string {
	if v.busy {
		return "undoing"
	}
	return ""
}

func (v *undoView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case saveResultMsg:
		return v, v.onResult(msg)
	case conflictChoiceMsg:
		if msg.choice != takeYours {
			return v, inOrder(pop, notice("undo cancelled: their values are kept"))
		}
		return v, v.run(msg.err.Current)
	case tea.KeyMsg:
		if v.busy {
			return v, nil
		}
		switch v.btn.press(msg, v.keys) {
		case pressedCancel, 0:
			return v, pop
		case 1:
			return v, v.run(v.entry.after)
		}
	}
	return v, nil
}

// run sends the revert, conflict-checked against original.
func (v *undoView) run(original crm.User) tea.Cmd {
	v.busy = true
	v.failed = ""
	return address(v.id, v.c.saveUser(v.ctx, original, v.entry.revert(), v.entry.seq))
}

func (v *undoView) onResult(msg saveResultMsg) tea.Cmd {
	v.busy = false
	if ce := msg.conflict(); ce != nil {
		return inOrder(broadcast(userSavedMsg{ce.Current}), push(newConflictView(v.c, v.id, ce, true)))
	}
	if msg.err != nil {
		v.c.refreshInfo()
		v.failed = errText(msg.err)
		if msg.partial() {
			return tea.Batch(broadcast(userSavedMsg{msg.user}), failure(msg.err))
		}
		return failure(msg.err)
	}
	return inOrder(pop, broadcast(userSavedMsg{msg.user}),
		info("undone: "+clean(msg.user.DisplayName())+": "+strings.Join(v.labels, ", ")+" restored"))
}

func (v *undoView) View() string {
	s := v.c.Styles
	width := min(max(v.w-10, 30), 90)
	var b strings.Builder
	b.WriteString(s.Section.Render(termtext.Truncate("Undo your last change to "+clean(v.entry.after.DisplayName())+"?", width)) + "\n\n")
	now, back := make([]string, len(v.entry.keys)), make([]string, len(v.entry.keys))
	for i, k := range v.entry.keys {
		now[i], back[i] = describe(v.entry.after.Value(k)), describe(v.entry.before.Value(k))
	}
	b.WriteString(changeLines(s, width, v.labels, now, back))
	if v.failed != "" {
		b.WriteString("\n" + s.Error.Render(termtext.Truncate("Undo failed: "+v.failed, width)) + "\n")
	}
	b.WriteString("\n" + v.btn.view(s, false))
	return dialog(v.c, v.w, v.h, b.String())
}
