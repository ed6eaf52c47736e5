package ui

import (
	"os"
	"testing"
)

// TestMain points $XDG_STATE_HOME at an empty directory for the package:
// opening a provider looks for unfinished bulk runs there, and a test
// must never meet the journals of the machine it runs on. Tests that write
// journals set their own.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "roster-ui-state-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_STATE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
