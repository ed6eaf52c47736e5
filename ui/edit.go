package ui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// editView is the form over a user's editable fields. Submitting opens the
// save confirmation; a failed save keeps every edit and shows why.
type editView struct {
	c       *Common
	id      int
	ctx     context.Context
	cancel  context.CancelFunc
	keys    editKeys
	user    crm.User
	values  *formValues
	form    *huh.Form
	w, h    int
	saving  bool
	failed  string            // the provider's message of the last failed save
	errs    map[string]string // per-field messages of the last failed save
	pending crm.Changes       // what the last save sent (for retry)
	discard bool              // esc was pressed once with unsaved edits
}

// saveConfirmedMsg is sent by the confirmation when the admin chose Save.
type saveConfirmedMsg struct{ changes crm.Changes }

func newEditView(c *Common, u crm.User) *editView {
	e := &editView{c: c, id: c.newID(), keys: newEditKeys(), user: u}
	e.ctx, e.cancel = c.viewContext()
	e.values = newFormValues(c.Provider.Schema(), u)
	e.buildForm()
	return e
}

func (e *editView) ID() int             { return e.id }
func (e *editView) Close()              { e.cancel() }
func (e *editView) Title() string       { return "edit" }
func (e *editView) Init() tea.Cmd       { return e.form.Init() }
func (e *editView) CapturesInput() bool { return true }
func (e *editView) Dirty() bool         { return len(e.values.changes()) > 0 }
func (e *editView) Busy() string {
	if e.saving {
		return "saving"
	}
	return ""
}
func (e *editView) ShortHelp() []key.Binding  { return e.keys.ShortHelp() }
func (e *editView) FullHelp() [][]key.Binding { return e.keys.FullHelp() }

// buildForm (re)creates the form over the same values, so edits survive.
func (e *editView) buildForm() {
	fields := e.values.formFields(e.errs)
	if len(fields) == 0 {
		fields = []huh.Field{huh.NewNote().Title("Nothing to edit").Description("This provider has no editable fields.")}
	}
	e.form = huh.NewForm(huh.NewGroup(fields...)).
		WithTheme(e.c.Styles.Form).
		WithShowHelp(false).
		WithShowErrors(true)
	e.sizeForm()
}

func (e *editView) SetSize(w, h int) {
	e.w, e.h = w, h
	e.sizeForm()
}

func (e *editView) sizeForm() {
	if e.form == nil || e.w == 0 {
		return
	}
	e.form = e.form.WithWidth(e.w).WithHeight(max(e.h-e.headerHeight(), 3))
}

func (e *editView) headerHeight() int {
	if e.failed != "" {
		return 3
	}
	return 2
}

func (e *editView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case saveConfirmedMsg:
		return e, e.save(msg.changes)
	case saveResultMsg:
		return e, e.onSaved(msg)
	case tea.KeyMsg:
		if e.saving {
			return e, nil
		}
		switch {
		case key.Matches(msg, e.keys.Cancel):
			if e.Dirty() && !e.discard {
				e.discard = true
				return e, info("unsaved edits: press esc again to discard them")
			}
			return e, pop
		case key.Matches(msg, e.keys.Retry) && e.pending != nil:
			return e, e.save(e.pending)
		case key.Matches(msg, e.keys.Submit):
			return e, e.submit()
		}
		e.discard = false
	}
	m, cmd := e.form.Update(msg)
	if f, ok := m.(*huh.Form); ok {
		e.form = f
	}
	if e.form.State == huh.StateCompleted {
		return e, tea.Batch(cmd, e.submit())
	}
	return e, cmd
}

// submit checks the form and opens the confirmation of the changed fields.
func (e *editView) submit() tea.Cmd {
	defer e.resetForm()
	if err := e.values.validate(); err != nil {
		return failure(err)
	}
	changes := e.values.changes()
	if len(changes) == 0 {
		return info("nothing changed")
	}
	return push(newSaveConfirmView(e.c, e.id, e.user, e.values, changes))
}

// resetForm makes a completed form editable again (values are kept).
func (e *editView) resetForm() {
	if e.form.State != huh.StateNormal {
		e.buildForm()
	}
}

func (e *editView) save(changes crm.Changes) tea.Cmd {
	e.saving = true
	e.pending = changes
	return address(e.id, saveUser(e.ctx, e.c.Provider, e.user.ID, changes))
}

func (e *editView) onSaved(msg saveResultMsg) tea.Cmd {
	e.saving = false
	if msg.err != nil {
		e.c.refreshInfo()
		e.failed = errText(msg.err)
		e.errs = nil
		if pe := crm.AsError(msg.err); pe != nil {
			e.errs = pe.Fields
		}
		e.keys.Retry.SetEnabled(true)
		e.buildForm()
		return tea.Batch(failure(msg.err), e.form.Init())
	}
	labels := make([]string, 0, len(msg.changes))
	for _, k := range msg.changes.Keys() {
		if f, ok := e.c.Provider.Schema().Field(k); ok {
			labels = append(labels, clean(f.Label))
		} else {
			labels = append(labels, clean(k))
		}
	}
	e.pending = nil
	e.values = newFormValues(e.c.Provider.Schema(), msg.user) // nothing unsaved now
	return tea.Sequence(pop, broadcast(userSavedMsg{msg.user}),
		info("saved "+clean(msg.user.DisplayName())+": "+strings.Join(labels, ", ")))
}

func (e *editView) View() string {
	s := e.c.Styles
	var b strings.Builder
	b.WriteString(s.Section.Render(termtext.Truncate("Edit "+clean(e.user.DisplayName()), e.w)) + "\n")
	if e.failed != "" {
		b.WriteString(s.Error.Render(termtext.Truncate("Save failed: "+e.failed, e.w)) + "\n")
		b.WriteString(s.Muted.Render("Your edits are kept. ctrl+r retries, or fix the fields and save again.") + "\n")
	} else {
		b.WriteByte('\n')
	}
	b.WriteString(e.form.View())
	return b.String()
}
