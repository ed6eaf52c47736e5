package server

import (
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/ui"
)

// sessionTheme is the config's theme for this session, unless the client
// asked for no colour (NO_COLOR, or CLICOLOR=0, in the environment it
// sent): then the console keeps its attributes and drops every colour, as
// roster --no-color does locally (ui.WithoutColour) — per session, so one
// client's choice is not another's.
func sessionTheme(sess ssh.Session, r *lipgloss.Renderer, cfg *config.Config) ui.Theme {
	theme := ui.Theme{Name: cfg.Theme, Colors: cfg.Colors}
	env := termenv.NewOutput(io.Discard, termenv.WithEnvironment(sshEnviron(sess.Environ())))
	if !env.EnvNoColor() {
		return theme
	}
	own := termenv.ANSI
	if pty, _, ok := sess.Pty(); !ok || pty.Term == "" || pty.Term == "dumb" {
		own = termenv.Ascii
	}
	return ui.WithoutColour(r, own)
}
