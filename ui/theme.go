package ui

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/roster-tui/roster/config"
)

// Theme is the console's look: one of config.Themes and the colours
// [theme_colors] overrides. The zero value is the default theme.
type Theme struct {
	Name   string
	Colors map[string]config.ThemeColor // by config.ThemeColorRoles
}

// palette is a theme's colours. A nil colour means "the terminal's own
// foreground": mono has no colour at all, and high-contrast does not dim
// text to grey. Colours are adaptive (lipgloss picks the light or dark
// variant from the session's renderer), so each theme reads on both
// backgrounds.
type palette struct {
	accent, muted, err, success, warning lipgloss.TerminalColor
	title                                lipgloss.TerminalColor // the title bar's text, on accent
	// emphasis: without colour (mono), attributes carry the meaning —
	// faint for muted text, reverse for the title bar and danger.
	attributesOnly bool
	// highContrast: muted text stays at full strength and labels are bold.
	highContrast bool
}

func adaptive(light, dark string) lipgloss.AdaptiveColor {
	return lipgloss.AdaptiveColor{Light: light, Dark: dark}
}

// themePalettes holds one palette per config.Themes name (a test holds
// them to the list).
func themePalettes() map[string]palette {
	return map[string]palette{
		"default": {
			accent:  adaptive("#5A4FCF", "#9D8CFF"),
			muted:   adaptive("#6B6B6B", "#8A8A8A"),
			err:     adaptive("#C0392B", "#FF6B6B"),
			success: adaptive("#1E8449", "#5FD787"),
			warning: adaptive("#9A6700", "#E3B341"),
			title:   lipgloss.Color("#FFFFFF"),
		},
		// light: for light backgrounds whatever the terminal reports (an
		// SSH session cannot ask the client, so the server assumes dark).
		"light": {
			accent:  lipgloss.Color("#4B3FBF"),
			muted:   lipgloss.Color("#5C5C5C"),
			err:     lipgloss.Color("#B03A2E"),
			success: lipgloss.Color("#1A7340"),
			warning: lipgloss.Color("#8A5A00"),
			title:   lipgloss.Color("#FFFFFF"),
		},
		"high-contrast": {
			accent:       adaptive("#0000AA", "#00FFFF"),
			err:          adaptive("#AA0000", "#FF5555"),
			success:      adaptive("#006600", "#55FF55"),
			warning:      adaptive("#7A4D00", "#FFFF55"),
			title:        adaptive("#FFFFFF", "#000000"),
			highContrast: true,
		},
		"mono": {attributesOnly: true},
	}
}

// paletteFor is the named theme's palette with the overrides applied; an
// unknown name (the config refuses one) is the default.
func paletteFor(t Theme) palette {
	all := themePalettes()
	p, ok := all[t.Name]
	if !ok {
		p = all["default"]
	}
	for role, c := range t.Colors {
		col := adaptive(c.Light, c.Dark)
		switch role {
		case "accent":
			p.accent = col
		case "muted":
			p.muted = col
		case "error":
			p.err = col
		case "success":
			p.success = col
		case "warning":
			p.warning = col
		case "title":
			p.title = col
		}
	}
	return p
}

// fg sets the foreground when the palette has that colour.
func fg(s lipgloss.Style, c lipgloss.TerminalColor) lipgloss.Style {
	if c == nil {
		return s
	}
	return s.Foreground(c)
}

// bg sets the background when the palette has that colour.
func bg(s lipgloss.Style, c lipgloss.TerminalColor) lipgloss.Style {
	if c == nil {
		return s
	}
	return s.Background(c)
}

// solidFill is the palette's accent as one colour string for the
// progress bar, which takes no adaptive colour; "" when there is none.
func (p palette) solidFill(dark bool) string {
	switch c := p.accent.(type) {
	case lipgloss.AdaptiveColor:
		if dark {
			return c.Dark
		}
		return c.Light
	case lipgloss.Color:
		return string(c)
	}
	return ""
}

// WithoutColour is how NO_COLOR and --no-color are honoured in any theme:
// no colour, but the attributes that carry meaning (the reverse cursor
// row and title, bold keys, faint hints) stay where the terminal draws
// them — the mono theme, on at most the 16-colour profile, whose colours
// it never uses. own is the terminal's profile regardless of NO_COLOR;
// Ascii there (a pipe, TERM=dumb) means no escapes at all. It sets r's
// profile and returns the theme to use.
func WithoutColour(r *lipgloss.Renderer, own termenv.Profile) Theme {
	if own == termenv.Ascii {
		r.SetColorProfile(termenv.Ascii)
	} else {
		r.SetColorProfile(termenv.ANSI)
	}
	return Theme{Name: "mono"}
}
