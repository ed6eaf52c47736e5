package main

import (
	"context"
	"regexp"
	"testing"

	"github.com/roster-tui/roster/crm/sandbox"
)

// A [keys] remapping that takes another action's key is a config error at
// its line, naming both actions; every command refuses the file alike.
func TestConflictingKeyBindingIsAConfigError(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "[keys]\nnext-page = [\"n\"]\nload-all = [\"r\"]\n")
	code, _, stderr := execRoster(context.Background(), "--config", c.config, "users", "list")
	if code != exitUsage {
		t.Errorf("exit code %d, want %d (a config error)", code, exitUsage)
	}
	want := regexp.MustCompile(`config\.toml:10:1: keys: load-all and refresh are both bound to r in the list`)
	if !want.MatchString(stderr) {
		t.Errorf("stderr should name both actions at the line:\n%s", stderr)
	}
}
