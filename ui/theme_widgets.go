package ui

import (
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/muesli/termenv"
)

// newTextInput is a text input styled by this program's theme on its
// renderer: bubbles builds its default styles on the process's renderer,
// whose colours are wrong for an SSH session and ignore --no-color.
func (c *Common) newTextInput(prompt, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.PromptStyle = c.r.NewStyle()
	in.TextStyle = c.r.NewStyle()
	in.PlaceholderStyle = c.Styles.Placeholder
	in.CompletionStyle = c.Styles.Placeholder
	in.Cursor.Style = c.r.NewStyle()
	in.Cursor.TextStyle = c.r.NewStyle()
	return in
}

// typeHint is the placeholder of an input that wants exactly want typed:
// bracketed, so that without colour it still reads as a hint and not as
// text already typed.
func typeHint(want string) string { return "[type " + want + "]" }

// newProgressBar is a progress bar in the theme's accent, on this
// program's colour profile (bubbles would ask the process's stdout).
func (c *Common) newProgressBar() progress.Model {
	profile := c.r.ColorProfile()
	if c.Styles.fill == "" {
		profile = termenv.Ascii // a theme without colours: the bar's characters say it
	}
	return progress.New(progress.WithoutPercentage(), progress.WithColorProfile(profile), progress.WithSolidFill(c.Styles.fill))
}
