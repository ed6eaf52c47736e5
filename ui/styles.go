package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// Styles are built per program from its renderer, so an SSH session gets
// colours right for its own terminal. Never build styles at package level.
type Styles struct {
	Title     lipgloss.Style // the top bar
	Crumb     lipgloss.Style // breadcrumb after the title
	StatusBar lipgloss.Style
	StatusKey lipgloss.Style // provider name in the status bar
	Notice    lipgloss.Style
	Message   lipgloss.Style
	Error     lipgloss.Style
	Success   lipgloss.Style
	Muted     lipgloss.Style
	Label     lipgloss.Style // field labels in the detail view
	Section   lipgloss.Style // section headings
	Box       lipgloss.Style // dialogs
	Button    lipgloss.Style
	ButtonOn  lipgloss.Style // the focused button
	Danger    lipgloss.Style // the focused destructive button
	Old       lipgloss.Style // a value before an edit
	New       lipgloss.Style // a value after an edit
	Help      help.Styles
	Form      *huh.Theme
}

// NewStyles builds the styles on r.
func NewStyles(r *lipgloss.Renderer) Styles {
	accent := lipgloss.AdaptiveColor{Light: "#5A4FCF", Dark: "#9D8CFF"}
	muted := lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
	red := lipgloss.AdaptiveColor{Light: "#C0392B", Dark: "#FF6B6B"}
	green := lipgloss.AdaptiveColor{Light: "#1E8449", Dark: "#5FD787"}
	button := r.NewStyle().Padding(0, 2).MarginRight(1)
	s := Styles{
		Title:     r.NewStyle().Bold(true).Foreground(lipgloss.Color("#FFFFFF")).Background(accent).Padding(0, 1),
		Crumb:     r.NewStyle().Foreground(muted).PaddingLeft(1),
		StatusBar: r.NewStyle().Foreground(muted),
		StatusKey: r.NewStyle().Bold(true).Foreground(accent),
		Notice:    r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#E3B341"}),
		Message:   r.NewStyle(),
		Error:     r.NewStyle().Foreground(red),
		Success:   r.NewStyle().Foreground(green),
		Muted:     r.NewStyle().Foreground(muted),
		Label:     r.NewStyle().Bold(true),
		Section:   r.NewStyle().Bold(true).Foreground(accent),
		Box:       r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		Button:    button.Foreground(muted),
		ButtonOn:  button.Bold(true).Reverse(true),
		Danger:    button.Bold(true).Foreground(lipgloss.Color("#FFFFFF")).Background(red),
		Old:       r.NewStyle().Foreground(muted).Strikethrough(true),
		New:       r.NewStyle().Bold(true).Foreground(green),
	}
	s.Help = help.Styles{
		Ellipsis:       r.NewStyle().Foreground(muted),
		ShortKey:       r.NewStyle().Foreground(accent),
		ShortDesc:      r.NewStyle().Foreground(muted),
		ShortSeparator: r.NewStyle().Foreground(muted),
		FullKey:        r.NewStyle().Foreground(accent),
		FullDesc:       r.NewStyle(),
		FullSeparator:  r.NewStyle().Foreground(muted),
	}
	s.Form = formTheme(r)
	return s
}

// formTheme is huh's Charm theme moved onto this program's renderer (huh
// builds its themes on the default renderer, which is wrong over SSH).
func formTheme(r *lipgloss.Renderer) *huh.Theme {
	t := huh.ThemeCharm()
	on := func(st *lipgloss.Style) { *st = st.Renderer(r) }
	on(&t.Form.Base)
	on(&t.Group.Base)
	on(&t.Group.Title)
	on(&t.Group.Description)
	on(&t.FieldSeparator)
	for _, f := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
		for _, st := range []*lipgloss.Style{
			&f.Base, &f.Title, &f.Description, &f.ErrorIndicator, &f.ErrorMessage,
			&f.SelectSelector, &f.Option, &f.NextIndicator, &f.PrevIndicator,
			&f.Directory, &f.File, &f.MultiSelectSelector, &f.SelectedOption,
			&f.SelectedPrefix, &f.UnselectedOption, &f.UnselectedPrefix,
			&f.FocusedButton, &f.BlurredButton, &f.Card, &f.NoteTitle, &f.Next,
			&f.TextInput.Cursor, &f.TextInput.CursorText, &f.TextInput.Placeholder,
			&f.TextInput.Prompt, &f.TextInput.Text,
		} {
			on(st)
		}
	}
	for _, st := range []*lipgloss.Style{
		&t.Help.Ellipsis, &t.Help.ShortKey, &t.Help.ShortDesc, &t.Help.ShortSeparator,
		&t.Help.FullKey, &t.Help.FullDesc, &t.Help.FullSeparator,
	} {
		on(st)
	}
	return t
}
