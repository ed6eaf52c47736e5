package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// saveConfirmView lists the changed fields old → new and asks to save;
// the focus starts on Cancel.
type saveConfirmView struct {
	answerDialog
	user    crm.User
	values  *formValues
	changes crm.Changes
	changed []string // changes' keys, in order
	labels  []string // of changed
}

func newSaveConfirmView(c *Common, editID int, u crm.User, v *formValues, changes crm.Changes) *saveConfirmView {
	changed := changes.Keys()
	return &saveConfirmView{answerDialog: newAnswerDialog(c, editID, "Save", saveConfirmedMsg{changes}),
		user: u, values: v, changes: changes, changed: changed, labels: c.fieldLabels(changed)}
}

func (v *saveConfirmView) Title() string                           { return "save?" }
func (v *saveConfirmView) Update(msg tea.Msg) (Component, tea.Cmd) { return v, v.press(msg) }

func (v *saveConfirmView) View() string {
	s := v.c.Styles
	width := min(max(v.w-10, 30), 90)
	var b strings.Builder
	b.WriteString(s.Section.Render(termtext.Truncate("Save changes to "+clean(v.user.DisplayName())+"?", width)) + "\n\n")
	olds, news := make([]string, len(v.changed)), make([]string, len(v.changed))
	for i, k := range v.changed {
		olds[i] = describe(v.values.orig[k])
		if b, ok := v.values.origB[k]; ok {
			olds[i] = describe(b)
		}
		news[i] = describe(v.changes[k])
	}
	b.WriteString(changeLines(s, width, v.labels, olds, news))
	b.WriteString("\n" + v.btn.view(s, false))
	return dialog(v.c, v.w, v.h, b.String())
}

// changeLines draws one "label  old → new" line per change, the labels
// aligned and each pair cut by aroundDifference so where old and new differ
// stays on screen: the one body of the save confirmation and the undo
// dialog. Values are sanitised here.
func changeLines(s Styles, width int, labels, olds, news []string) string {
	labelW := 0
	for _, l := range labels {
		labelW = max(labelW, termtext.Width(l))
	}
	valW := max((width-labelW-6)/2, 8)
	var b strings.Builder
	for i := range labels {
		oldText, newText := aroundDifference(clean(olds[i]), clean(news[i]), valW)
		b.WriteString(s.Label.Render(termtext.Fit(labels[i], labelW)) + "  " +
			s.Old.Render(oldText) + " → " + s.New.Render(newText) + "\n")
	}
	return b.String()
}

// aroundDifference cuts a and b to width w so that where they first differ
// stays on screen: a common start too long to show both is replaced by "…"
// (a narrow terminal showed "Account E… → Account E…" for a change at the
// end).
func aroundDifference(a, b string, w int) (string, string) {
	if termtext.Width(a) <= w && termtext.Width(b) <= w {
		return a, b
	}
	ra, rb := []rune(a), []rune(b)
	i := 0
	for i < len(ra) && i < len(rb) && ra[i] == rb[i] {
		i++
	}
	// Keep as much of the common start before the difference as leaves
	// room for the longer remainder, and at least a few characters.
	context := max(3, w-1-max(len(ra), len(rb))+i)
	if i > context && termtext.Width(string(ra[:i]))+1 >= w {
		a, b = "…"+string(ra[i-context:]), "…"+string(rb[i-context:])
	}
	return termtext.Truncate(a, w), termtext.Truncate(b, w)
}
