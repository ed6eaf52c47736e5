package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// createConfirmView lists the fields of the new user and asks to create
// it; the focus starts on Cancel.
type createConfirmView struct {
	answerDialog
	rows [][2]string // label, value as the admin reads it
}

func newCreateConfirmView(c *Common, formID int, schema []crm.Field, choices map[string][]crm.Choice, fields crm.Changes) *createConfirmView {
	v := &createConfirmView{answerDialog: newAnswerDialog(c, formID, "Create", createConfirmedMsg{fields})}
	for _, f := range schema {
		val, ok := fields[f.Key]
		if !ok {
			continue
		}
		text := crm.DescribeValue(val)
		for _, ch := range choices[f.Key] {
			if ch.ID == val {
				text = ch.Name + " (" + ch.ID + ")"
			}
		}
		v.rows = append(v.rows, [2]string{clean(f.Label), clean(text)})
	}
	return v
}

func (v *createConfirmView) Title() string                           { return "create?" }
func (v *createConfirmView) Update(msg tea.Msg) (Component, tea.Cmd) { return v, v.press(msg) }

func (v *createConfirmView) View() string {
	s := v.c.Styles
	width := min(max(v.w-10, 30), 90)
	var b strings.Builder
	b.WriteString(s.Section.Render(termtext.Truncate("Create this user in "+clean(v.c.Info.Name)+"?", width)) + "\n\n")
	labelW := 0
	for _, r := range v.rows {
		labelW = max(labelW, termtext.Width(r[0]))
	}
	labelW = min(labelW, width/3)
	room := max(v.h-8, 1)
	for i, r := range v.rows {
		if i == room-1 && len(v.rows) > room {
			b.WriteString(s.Muted.Render(termtext.Truncate("… and more fields", width)) + "\n")
			break
		}
		b.WriteString(s.Label.Render(termtext.Fit(r[0], labelW)) + "  " + s.New.Render(termtext.Truncate(r[1], max(width-labelW-2, 1))) + "\n")
	}
	b.WriteString("\n" + v.btn.view(s, false))
	return dialog(v.c, v.w, v.h, b.String())
}
