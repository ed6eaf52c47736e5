package main

import (
	"context"
	"strings"
	"testing"
)

// TestDemoFlagsOnlyWhereTheyApply: the embedded sandbox's knobs (--users,
// --latency) and the console's --log-file are offered by the console and
// `roster sandbox` only; --demo stays on every command.
func TestDemoFlagsOnlyWhereTheyApply(t *testing.T) {
	ctx := context.Background()
	for _, args := range [][]string{{"users", "list"}, {"person", "find"}, {"audit"}, {"doctor"}, {"serve"}} {
		out, _, err := runRoster(ctx, append(args, "--help")...)
		if err != nil {
			t.Fatal(err)
		}
		for _, flag := range []string{"--latency duration", "--users int", "--log-file string"} {
			if strings.Contains(out, flag) {
				t.Errorf("roster %s --help lists %s", strings.Join(args, " "), flag)
			}
		}
		if !strings.Contains(out, "--demo") {
			t.Errorf("roster %s --help lost --demo", strings.Join(args, " "))
		}
	}
	for _, args := range [][]string{{}, {"sandbox"}} {
		out, _, _ := runRoster(ctx, append(args, "--help")...)
		if !strings.Contains(out, "--latency") || !strings.Contains(out, "--users int") {
			t.Errorf("roster %s --help should list --users and --latency", strings.Join(args, " "))
		}
	}
	if code, _, stderr := execRoster(ctx, "--demo", "users", "list", "--latency", "1s"); code != 2 {
		t.Errorf("users list --latency: want exit 2 (unknown flag), got %d %q", code, stderr)
	}
}
