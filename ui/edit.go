package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// editView is the form over a user's editable fields. Submitting opens the
// save confirmation; the save is checked against the user as the form
// opened it (user), so a colleague's change is never overwritten unseen. A
// failed save keeps every edit and shows why.
type editView struct {
	viewBase
	keys     editKeys
	user     crm.User // the original: the user as the form last read it
	values   *formValues
	form     *huh.Form
	saving   bool
	failed   string            // the provider's message of the last failed save
	partly   string            // fields a partial save did save
	readOnly bool              // the provider refused writes after the form opened
	errs     map[string]string // per-field messages of the last failed save
	discard  bool              // esc was pressed once with unsaved edits
}

// saveConfirmedMsg is sent by the confirmation when the admin chose Save.
type saveConfirmedMsg struct{ changes crm.Changes }

func newEditView(c *Common, u crm.User) *editView {
	e := &editView{viewBase: newViewBase(c), keys: newEditKeys(c.bindings), user: u}
	e.values = newFormValues(c.Provider.Schema(), u)
	e.buildForm()
	return e
}

// applyCaps: when the provider turns read-only while the form is open, the
// form keeps the edits but offers no save.
func (e *editView) applyCaps() {
	if e.c.CanUpdate() || e.readOnly {
		return
	}
	e.readOnly = true
	e.keys.Retry.SetEnabled(false)
	e.keys.Submit.SetEnabled(false)
}

func (e *editView) Title() string { return "edit" }
func (e *editView) Init() tea.Cmd { return e.form.Init() }

// CapturesInput: the form takes every key, except while a save is on its
// way, when it takes none and q asks before quitting as everywhere.
func (e *editView) CapturesInput() bool { return !e.saving }

// TakesRune: a choice or yes/no field takes no letters, so ? is help there.
func (e *editView) TakesRune(rune) bool { return formTakesText(e.form) }
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

func (e *editView) headerHeight() int { return len(e.header()) + 1 }

// header is the lines above the form: title, then what went wrong.
func (e *editView) header() []string {
	s := e.c.Styles
	lines := []string{s.Section.Render(termtext.Truncate("Edit "+clean(e.user.DisplayName()), e.w))}
	if e.partly != "" {
		lines = append(lines, s.Success.Render(termtext.Truncate("Saved: "+e.partly+". The rest below is not saved yet.", e.w)))
	}
	if e.failed != "" {
		lines = append(lines, s.Error.Render(termtext.Truncate("Save failed: "+e.failed, e.w)))
		hint := "Your edits are kept. ctrl+r retries, or fix the fields and save again."
		if e.readOnly {
			hint = clean(e.c.Info.Name) + " is now read-only: these edits cannot be saved. esc discards them."
			if n := e.c.Info.Notice; n != "" {
				hint = clean(e.c.Info.Name) + " is now read-only (" + clean(n) + "): these edits cannot be saved. esc discards them."
			}
		}
		lines = append(lines, s.Muted.Render(termtext.Truncate(hint, e.w)))
	}
	return lines
}

func (e *editView) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case saveConfirmedMsg:
		return e, e.save(msg.changes)
	case saveResultMsg:
		return e, e.onSaved(msg)
	case conflictChoiceMsg:
		return e, e.onConflictChoice(msg)
	case tea.KeyMsg:
		if e.saving {
			return e, nil
		}
		if key.Matches(msg, e.keys.Retry) {
			e.discard = false
			if err := e.values.validate(); err != nil {
				return e, failure(err)
			}
			if ch := e.values.changes(); len(ch) > 0 {
				return e, e.save(ch)
			}
			return e, notice("nothing left to save")
		}
	}
	return e, formInput(&e.form, &e.discard, msg, e.keys.Cancel, e.keys.Submit, e.Dirty, "edits", e.submit)
}

// submit checks the form and opens the confirmation of the changed fields.
func (e *editView) submit() tea.Cmd {
	defer e.resetForm()
	if e.readOnly {
		return notice(clean(e.c.Info.Name) + " is read-only now: nothing can be saved")
	}
	if err := e.values.validate(); err != nil {
		return failure(err)
	}
	changes := e.values.changes()
	if len(changes) == 0 {
		return notice("nothing changed")
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
	return address(e.id, e.c.saveUser(e.ctx, e.user, changes, 0))
}

func (e *editView) onSaved(msg saveResultMsg) tea.Cmd {
	e.saving = false
	if ce := msg.conflict(); ce != nil {
		// their version is what the other views should show now
		return inOrder(broadcast(userSavedMsg{ce.Current}), push(newConflictView(e.c, e.id, ce, false)))
	}
	if msg.err != nil {
		return e.onFailed(msg)
	}
	e.values = newFormValues(e.c.Provider.Schema(), msg.user) // nothing unsaved now
	e.user = msg.user
	return inOrder(pop, broadcast(userSavedMsg{msg.user}),
		info("saved "+clean(msg.user.DisplayName())+": "+e.labels(msg.changes.Keys())))
}

// onFailed keeps the form with every edit; after a partial save the saved
// fields become the original and only the unsaved rest stays a change.
func (e *editView) onFailed(msg saveResultMsg) tea.Cmd {
	var cmds []tea.Cmd
	e.partly = ""
	if msg.partial() {
		before := e.values.changes()
		e.user = msg.user
		e.values.rebase(msg.user)
		after := e.values.changes()
		var saved []string
		for _, k := range before.Keys() {
			if _, still := after[k]; !still {
				saved = append(saved, k)
			}
		}
		e.partly = e.labels(saved)
		cmds = append(cmds, broadcast(userSavedMsg{msg.user}))
	}
	e.c.refreshInfo()
	e.readOnly = !e.c.CanUpdate()
	e.failed = errText(msg.err)
	e.errs = nil
	if pe := crm.AsError(msg.err); pe != nil {
		e.errs = pe.Fields
	}
	e.keys.Retry.SetEnabled(!e.readOnly)
	e.keys.Submit.SetEnabled(!e.readOnly)
	e.buildForm()
	return tea.Batch(append(cmds, failure(msg.err), e.form.Init())...)
}

// onConflictChoice acts on the conflict screen; every choice makes the
// user as it is now the form's original.
func (e *editView) onConflictChoice(msg conflictChoiceMsg) tea.Cmd {
	ce := msg.err
	e.user = ce.Current
	e.values.rebase(ce.Current)
	e.failed, e.partly, e.errs = "", "", nil
	switch msg.choice {
	case takeYours:
		if ch := e.values.changes(); len(ch) > 0 {
			return e.save(ch)
		}
		e.buildForm()
		return tea.Batch(e.form.Init(), notice("their values already match yours: nothing to save"))
	case keepTheirs:
		keys := make([]string, 0, len(ce.Fields))
		for _, f := range ce.Fields {
			e.values.takeValue(ce.Current, f.Key)
			keys = append(keys, f.Key)
		}
		if len(e.values.changes()) == 0 {
			return inOrder(pop, notice("kept their values; nothing was saved"))
		}
		e.buildForm()
		what := "kept theirs"
		if len(keys) > 0 {
			what += " for " + e.labels(keys)
		}
		return tea.Batch(e.form.Init(), notice(what+"; your other edits are still here: ctrl+s saves them"))
	default:
		e.buildForm()
		return tea.Batch(e.form.Init(), notice("your edits are kept; their values are now the original"))
	}
}

// labels lists fields by their labels.
func (e *editView) labels(keys []string) string {
	return strings.Join(e.c.fieldLabels(keys), ", ")
}

func (e *editView) View() string {
	return strings.Join(e.header(), "\n") + "\n\n" + e.form.View()
}
