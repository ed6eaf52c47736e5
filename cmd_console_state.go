package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/state"
)

// consoleState opens the state file the console remembers columns and saved
// views in — console.json in the state directory, console-demo.json for
// the demo (whose providers are not a config's, though they share names
// with one) — and lists the config's views by provider. A state file that
// does not read is a warning: the console then remembers nothing, and never
// writes over the file.
func consoleState(l *loaded, stderr io.Writer) (*state.Store, map[string][]state.View) {
	views := l.cfg.ConsoleViews()
	dir, file := l.cfg.StateDir, "console.json"
	if l.demo != nil {
		dir, file = config.DefaultStateDir(), "console-demo.json"
	}
	if dir == "" {
		return nil, views
	}
	st, err := state.Open(filepath.Join(dir, file))
	if err != nil {
		fmt.Fprintln(stderr, "roster: warning:", err, "— columns and saved views will not be remembered")
		return nil, views
	}
	return st, views
}
