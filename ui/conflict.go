package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// conflictView is shown when a save found the user changed by someone else
// since it was read: per edited field the value then, theirs now and the
// admin's, and what else moved. Nothing was written. The focus starts on
// Keep theirs, which writes nothing.
type conflictView struct {
	viewBase
	owner int // the view that saved (edit or undo), which acts on the choice
	err   *crm.ConflictError
	// labels of err.Fields and of err.Others, read once
	fieldLabels, otherLabels []string
	undo                     bool // the save was an undo: there is no form to go back to
	keys                     confirmKeys
	btn                      buttons
}

// Choices on the conflict screen, in button order.
const (
	keepTheirs = iota
	takeYours
	editAgain
)

// conflictChoiceMsg tells the owner what the admin chose.
type conflictChoiceMsg struct {
	choice int
	err    *crm.ConflictError
}

func newConflictView(c *Common, owner int, err *crm.ConflictError, undo bool) *conflictView {
	labels := []string{"Keep theirs", "Take yours", "Edit again"}
	if undo {
		labels = []string{"Keep theirs", "Undo anyway"}
	}
	keys := newConfirmKeys(c.bindings)
	// esc writes nothing here; say where it leads
	if undo {
		keys.Cancel.SetHelp("esc", "keep theirs")
	} else {
		keys.Cancel.SetHelp("esc", "edit again")
	}
	fieldKeys := make([]string, len(err.Fields))
	for i, f := range err.Fields {
		fieldKeys[i] = f.Key
	}
	return &conflictView{viewBase: newViewBase(c), owner: owner, err: err, undo: undo,
		fieldLabels: c.fieldLabels(fieldKeys), otherLabels: c.fieldLabels(err.Others),
		keys: keys, btn: buttons{labels: labels}}
}

func (v *conflictView) Init() tea.Cmd             { return nil }
func (v *conflictView) Title() string             { return "conflict" }
func (v *conflictView) ShortHelp() []key.Binding  { return v.keys.ShortHelp() }
func (v *conflictView) FullHelp() [][]key.Binding { return v.keys.FullHelp() }

func (v *conflictView) Update(msg tea.Msg) (Component, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return v, nil
	}
	choice := v.btn.press(k, v.keys)
	switch choice {
	case pressedNothing:
		return v, nil
	case pressedCancel:
		// esc writes nothing: back to the form, or the undo is dropped
		choice = editAgain
		if v.undo {
			choice = keepTheirs
		}
	}
	ce := v.err
	return v, inOrder(pop, address(v.owner, func() tea.Msg { return conflictChoiceMsg{choice: choice, err: ce} }))
}

// explain says what the focused button does.
func (v *conflictView) explain() string {
	switch {
	case v.btn.focus == keepTheirs && v.undo:
		return "Cancel the undo; nothing is written."
	case v.btn.focus == keepTheirs:
		return "Drop your edits of the fields above (theirs stay); other edits stay in the form."
	case v.btn.focus == takeYours && v.undo:
		return "Write the old values over theirs (checked again first)."
	case v.btn.focus == takeYours:
		return "Save all your edits over theirs (checked again first)."
	default:
		return "Back to the form with your edits; their values become the original."
	}
}

func (v *conflictView) View() string {
	s := v.c.Styles
	width := min(max(v.w-8, 40), 100)
	e := v.err
	var b strings.Builder
	name := clean(e.Current.DisplayName())
	b.WriteString(s.Error.Render(termtext.Truncate(name+" was changed by someone else. Nothing was saved.", width)) + "\n\n")
	if len(e.Fields) > 0 {
		b.WriteString(v.table(width))
	} else {
		b.WriteString(s.Muted.Render(termtext.Truncate("None of the fields you edited changed, but the record did.", width)) + "\n")
	}
	if len(v.otherLabels) > 0 {
		b.WriteString("\n" + s.Notice.Render(termtext.Truncate("Also changed by someone else: "+strings.Join(v.otherLabels, ", "), width)) + "\n")
	}
	b.WriteString("\n" + v.btn.view(s, false) + "\n")
	b.WriteString(s.Muted.Render(termtext.Truncate(v.explain(), width)))
	return dialog(v.c, v.w, v.h, b.String())
}

// table lays out Field / Original / Theirs / Yours by display width.
func (v *conflictView) table(width int) string {
	s := v.c.Styles
	rows := [][]string{{"Field", "Original", "Theirs", "Yours"}}
	for i, f := range v.err.Fields {
		rows = append(rows, []string{v.fieldLabels[i], clean(describe(f.Original)), clean(describe(f.Theirs)), clean(describe(f.Yours))})
	}
	labelW := 0
	for _, r := range rows {
		labelW = max(labelW, termtext.Width(r[0]))
	}
	labelW = min(labelW, width/4)
	valW := max((width-labelW-6)/3, 6)
	var b strings.Builder
	for i, r := range rows {
		cells := []string{termtext.Fit(r[0], labelW)}
		for _, c := range r[1:] {
			cells = append(cells, termtext.Fit(c, valW))
		}
		line := strings.Join(cells, "  ")
		if i == 0 {
			line = s.Label.Render(line)
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return b.String()
}
