package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// createConfirmView lists the fields of the new user and asks to create
// it; the focus starts on Cancel.
type createConfirmView struct {
	viewBase
	formID int
	rows   [][2]string // label, value as the admin reads it
	fields crm.Changes
	keys   confirmKeys
	btn    buttons
}

func newCreateConfirmView(c *Common, formID int, schema []crm.Field, choices map[string][]crm.Choice, fields crm.Changes) *createConfirmView {
	v := &createConfirmView{viewBase: newViewBase(c), formID: formID, fields: fields, keys: newConfirmKeys(c.bindings),
		btn: buttons{labels: []string{"Cancel", "Create"}}}
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

func (v *createConfirmView) Title() string             { return "create?" }
func (v *createConfirmView) Init() tea.Cmd             { return nil }
func (v *createConfirmView) ShortHelp() []key.Binding  { return v.keys.ShortHelp() }
func (v *createConfirmView) FullHelp() [][]key.Binding { return v.keys.FullHelp() }

func (v *createConfirmView) Update(msg tea.Msg) (Component, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return v, nil
	}
	switch v.btn.press(k, v.keys) {
	case pressedCancel, 0:
		return v, pop
	case 1:
		fields := v.fields
		return v, inOrder(pop, address(v.formID, func() tea.Msg { return createConfirmedMsg{fields} }))
	}
	return v, nil
}

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
