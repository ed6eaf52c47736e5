package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/crm/sandbox"
)

func TestCompletionOffersTheConfigsWords(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "--config", c.config, "-p", ""}, "sales\tapideck"},
		{[]string{"__complete", "--config", c.config, "users", "update", "10000", "--set", "tit"}, "title="},
		{[]string{"__complete", "--config", c.config, "users", "update", "10000", "--set", "status="}, "status=inactive"},
		{[]string{"__complete", "--config", c.config, "users", "list", "--columns", ""}, "email\tcommon"},
		{[]string{"__complete", "--config", c.config, "users", "list", "--columns", "id,em"}, "id,email\t"},
		{[]string{"__complete", "--config", c.config, "users", "list", "--columns", "id,first"}, "id,first_name\t"},
	} {
		code, out, stderr := execRoster(context.Background(), tt.args...)
		if code != exitOK || !strings.Contains(out, tt.want) {
			t.Errorf("roster %s: exit %d, want %q in\n%s%s", strings.Join(tt.args, " "), code, tt.want, out, stderr)
		}
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		if code, out, _ := execRoster(context.Background(), "completion", shell); code != exitOK || !strings.Contains(out, "roster") {
			t.Errorf("completion %s: exit %d", shell, code)
		}
	}
}

// TestCompletionOffersUserIDsIdentityTypesAndCreateKeys: ids come from the
// provider's first page (with who they are), users lookup completes its
// identity types, and create --set offers the fields a new user takes.
func TestCompletionOffersUserIDsIdentityTypesAndCreateKeys(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 30}, "")
	l := laurelCLI(t, sandbox.Options{Users: 30})
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "--config", c.config, "users", "get", ""}, "10000\t"},
		{[]string{"__complete", "--config", c.config, "users", "delete", "1000"}, "10001\t"},
		{[]string{"__complete", "--config", c.config, "users", "create", "--set", "emai"}, "email="},
		{[]string{"__complete", "--config", l.config, "users", "lookup", ""}, "email\n"},
	} {
		code, out, stderr := execRoster(context.Background(), tt.args...)
		if code != exitOK || !strings.Contains(out, tt.want) {
			t.Errorf("roster %s: exit %d, want %q in\n%s%s", strings.Join(tt.args, " "), code, tt.want, out, stderr)
		}
	}
	// An id already given is not offered again, and a user's description
	// names them.
	code, out, _ := execRoster(context.Background(), "__complete", "--config", c.config, "users", "deactivate", "10000", "1000")
	if code != exitOK || strings.Contains(out, "10000\t") || !strings.Contains(out, "@") {
		t.Errorf("deactivate 10000 <tab>: exit %d\n%s", code, out)
	}
	// No config: nothing, and no demo.
	code, out, _ = execRoster(context.Background(), "__complete", "--config", c.config+".missing", "users", "get", "")
	if code != exitOK || strings.Contains(out, "\t") {
		t.Errorf("no config: exit %d\n%s", code, out)
	}
}

func TestManWritesRoster1(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := execRoster(context.Background(), "man", "--dir", dir); code != exitOK {
		t.Fatalf("man: exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join(dir, "roster.1"))
	if err != nil || !strings.Contains(string(page), ".TH \"ROSTER\" \"1\"") {
		t.Errorf("roster.1: %v\n%.300s", err, page)
	}
}

// TestEveryCommandHasExamples: --help shows how each command is used.
func TestEveryCommandHasExamples(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !c.Hidden && c.Name() != "help" && c.Name() != "completion" && (c.Parent() == nil || c.Parent().Name() != "completion") && c.Example == "" {
			t.Errorf("%q has no examples in --help", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd())
}

// TestConfigDoesNotImportTheSandbox: the demo's wiring is the command
// layer's (cmd_demo.go); the config package knows real providers only.
func TestConfigDoesNotImportTheSandbox(t *testing.T) {
	files, _ := filepath.Glob("config/*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), `"github.com/roster-tui/roster/crm/sandbox"`) {
			t.Errorf("%s imports the sandbox", f)
		}
	}
}
