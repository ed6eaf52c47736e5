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
	// Placeholder is an empty input's hint (whose text also says it is one,
	// for terminals without colour).
	Placeholder lipgloss.Style
	Marked      lipgloss.Style // a marked row of the list
	Help        help.Styles
	Form        *huh.Theme
	fill        string // the progress bar's colour, "" for none
}

// NewStyles builds the theme's styles on r. A theme without colours
// (mono, or any theme on a renderer without colour: NO_COLOR, --no-color)
// keeps its meaning in attributes and in text: the cursor's "> " gutter,
// the marks' "*", brackets around placeholders.
func NewStyles(r *lipgloss.Renderer, t Theme) Styles {
	p := paletteFor(t)
	text := func(c lipgloss.TerminalColor) lipgloss.Style { return fg(r.NewStyle(), c) }
	muted := text(p.muted)
	if p.attributesOnly {
		muted = muted.Faint(true)
	}
	button := r.NewStyle().Padding(0, 2).MarginRight(1)
	s := Styles{
		Title:       bg(fg(r.NewStyle().Bold(true), p.title), p.accent).Padding(0, 1),
		Crumb:       muted.PaddingLeft(1),
		StatusBar:   muted,
		StatusKey:   text(p.accent).Bold(true),
		Notice:      text(p.warning),
		Message:     r.NewStyle(),
		Error:       text(p.err),
		Success:     text(p.success),
		Muted:       muted,
		Label:       r.NewStyle().Bold(true),
		Section:     text(p.accent).Bold(true),
		Box:         r.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1),
		Button:      fg(button, p.muted),
		ButtonOn:    button.Bold(true).Reverse(true),
		Danger:      bg(fg(button.Bold(true), p.title), p.err),
		Old:         muted.Strikethrough(true),
		New:         text(p.success).Bold(true),
		Placeholder: muted,
		Marked:      text(p.warning),
	}
	if p.accent != nil {
		s.Box = s.Box.BorderForeground(p.accent)
	}
	if p.attributesOnly {
		s.Title = s.Title.Reverse(true)
		s.Section = s.Section.Underline(true)
		s.Error = s.Error.Bold(true)
		s.Notice = s.Notice.Italic(true)
		s.Danger = s.Danger.Reverse(true)
		s.Marked = s.Marked.Bold(true)
	}
	if p.highContrast {
		s.Error = s.Error.Bold(true)
		s.Button = button
	}
	s.Help = help.Styles{
		Ellipsis:       muted,
		ShortKey:       text(p.accent),
		ShortDesc:      muted,
		ShortSeparator: muted,
		FullKey:        text(p.accent),
		FullDesc:       r.NewStyle(),
		FullSeparator:  muted,
	}
	if p.attributesOnly {
		s.Help.ShortKey = s.Help.ShortKey.Bold(true)
		s.Help.FullKey = s.Help.FullKey.Bold(true)
	}
	s.Form = formTheme(r, p)
	s.fill = p.solidFill(r.HasDarkBackground())
	return s
}

// formTheme is huh's Charm theme moved onto this program's renderer (huh
// builds its themes on the default renderer, which is wrong over SSH).
// High contrast takes huh's theme of the terminal's 16 colours, mono its
// base theme (no colours).
func formTheme(r *lipgloss.Renderer, p palette) *huh.Theme {
	t := huh.ThemeCharm()
	switch {
	case p.attributesOnly:
		t = huh.ThemeBase()
	case p.highContrast:
		t = huh.ThemeBase16()
	}
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
