package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
)

// TestExitCodesMeanSomething runs the CLI against the sandbox and checks the
// documented exit code of each kind of failure.
func TestExitCodesMeanSomething(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	ro := newCLI(t, sandbox.Options{}, "read_only = true\n")
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		args []string
		want int
	}{
		{"success", []string{"--config", c.config, "users", "get", "10000"}, exitOK},
		{"unknown flag", []string{"--config", c.config, "users", "list", "--nope"}, exitUsage},
		{"unknown provider", []string{"--config", c.config, "-p", "nope", "users", "list"}, exitUsage},
		{"not found", []string{"--config", c.config, "users", "get", "99999999"}, exitNotFound},
		{"read-only", []string{"--config", ro.config, "users", "update", "10000", "--set", "title=x"}, exitNotAllowed},
		{"no such field", []string{"--config", c.config, "users", "update", "10000", "--set", "salary=1"}, exitUsage},
		{"read-only field", []string{"--config", c.config, "users", "update", "10000", "--set", "id=5"}, exitUsage},
		{"a value its field cannot take", []string{"--config", c.config, "users", "update", "10000", "--set", "status=sleeping"}, exitValidation},
	} {
		code, _, stderr := execRoster(ctx, tt.args...)
		if code != tt.want {
			t.Errorf("%s: exit %d, want %d (%s)", tt.name, code, tt.want, stderr)
		}
	}
}

func TestWrongKeyExitsNotAllowed(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	data, _ := os.ReadFile(c.config)
	bad := strings.Replace(string(data), sandbox.ApideckAPIKey, "wrong-key", 1)
	if err := os.WriteFile(c.config, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := execRoster(context.Background(), "--config", c.config, "users", "list"); code != exitNotAllowed {
		t.Errorf("wrong API key: exit %d, want %d (%s)", code, exitNotAllowed, stderr)
	}
}

func TestUnreachableProviderExits6(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now: connection refused
	c := newCLI(t, sandbox.Options{}, "")
	data, _ := os.ReadFile(c.config)
	// Point base_url at the closed port.
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "base_url") {
			lines[i] = `base_url = "http://` + addr + `"`
		}
	}
	if err := os.WriteFile(c.config, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := execRoster(context.Background(), "--config", c.config, "users", "list"); code != exitUnreachable {
		t.Errorf("unreachable provider: exit %d, want %d (%s)", code, exitUnreachable, stderr)
	}
}

func TestJSONErrorIsOneObjectOnStderr(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	code, out, stderr := execRoster(context.Background(), "--config", c.config, "users", "get", "99999999", "--json")
	if code != exitNotFound || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	var e map[string]any
	if err := json.Unmarshal([]byte(stderr), &e); err != nil {
		t.Fatalf("stderr is not one JSON object: %v\n%s", err, stderr)
	}
	if e["kind"] != "not_found" || e["provider"] == "" || e["operation"] == nil || e["status"] != 404.0 || e["message"] == "" {
		t.Errorf("JSON error %v", e)
	}
}

// TestErrorsAreSanitised: provider text in an error must not reach the
// terminal as escape sequences (OSC 52 clipboard, OSC 2 title, clear
// screen), and --json escapes bidi overrides and C1 controls.
func TestErrorsAreSanitised(t *testing.T) {
	hostile := "bad\x1b]52;c;ZWNobyBwd25lZA==\x07 \x1b]2;title\x07\x1b[2J\u202ereversed\u009b31m"
	err := &crm.Error{Kind: crm.KindValidation, Provider: "sales", Op: "update user 1", Status: 422, Message: hostile,
		Fields: map[string]string{"title": "\u202e\x1b[2J"}}
	var text strings.Builder
	printError(&text, err, false)
	for _, bad := range []string{"\x1b", "\u202e", "\u009b", "\x07"} {
		if strings.Contains(text.String(), bad) {
			t.Errorf("text error keeps %q: %q", bad, text.String())
		}
	}
	if exitCode(err) != exitValidation {
		t.Errorf("validation exits %d", exitCode(err))
	}
	var js strings.Builder
	printError(&js, err, true)
	for _, bad := range []string{"\x1b", "\u202e", "\u009b", "\x07"} {
		if strings.Contains(js.String(), bad) {
			t.Errorf("JSON error keeps %q raw: %q", bad, js.String())
		}
	}
	var e map[string]any
	if err := json.Unmarshal([]byte(js.String()), &e); err != nil || !strings.Contains(e["message"].(string), "\u202ereversed") {
		t.Errorf("JSON error does not keep the value escaped: %v %v", err, e)
	}
}

func TestUnknownOutcomeExits8(t *testing.T) {
	if got := exitCode(&crm.Error{Kind: crm.KindUnknownOutcome}); got != exitUnknownWrite {
		t.Errorf("unknown outcome exits %d", got)
	}
	if got := exitCode(&crm.Error{Kind: crm.KindConflict}); got != exitConflict {
		t.Errorf("conflict exits %d", got)
	}
}

func TestVersionPrintsVersionCommitAndGo(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, stderr := execRoster(context.Background(), args...)
		if code != exitOK || !strings.HasPrefix(out, "roster ") || !strings.Contains(out, "\ncommit ") || !strings.Contains(out, "\ngo1.") {
			t.Errorf("roster %s: exit %d, %q %q", args[0], code, out, stderr)
		}
	}
}
