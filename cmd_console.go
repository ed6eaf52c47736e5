package main

import (
	"errors"
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/ui"
)

// checkKeyBindings is the console's check of the config's [keys] (action
// names and conflicts are the console's to know), as config errors at
// each entry's line, so every command refuses a broken config alike.
func checkKeyBindings(cfg *config.Config) error {
	var errs []error
	for _, e := range ui.CheckBindings(cfg.Keys) {
		errs = append(errs, cfg.KeyError(e.Action, e.Msg))
	}
	return errors.Join(errs...)
}

// withoutColour is the renderer and theme for --no-color and NO_COLOR:
// attributes without colours on a terminal, nothing on a pipe.
func withoutColour(out io.Writer) (*lipgloss.Renderer, ui.Theme) {
	r := lipgloss.NewRenderer(out)
	return r, ui.WithoutColour(r, termenv.NewOutput(out).ColorProfile())
}

// consoleOptions carries the config's look and feel into the console:
// theme and colours, [keys], and the mouse (the config's or --mouse).
func consoleOptions(o *ui.Options, cfg *config.Config, mouse bool) {
	o.Theme = ui.Theme{Name: cfg.Theme, Colors: cfg.Colors}
	o.Bindings = cfg.Keys
	o.Mouse = cfg.Mouse || mouse
}
