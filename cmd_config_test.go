package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm/sandbox"
)

// TestConfigInitWritesAConfigDoctorPasses: config init writes every demo
// kind's entry (against a running sandbox) with mode 0600, secrets as env:
// references only, and its doctor run passes; it never overwrites, and a
// literal secret needs --literal-secrets.
func TestConfigInitWritesAConfigDoctorPasses(t *testing.T) {
	run, err := sandbox.New(sandbox.Options{Users: 5}).Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	ctx := context.Background()
	for _, e := range sandbox.DemoEntries(run.URL) {
		kind, _ := config.KindNamed(e.Kind)
		args := []string{"config", "init", "--kind", e.Kind, "--name", e.Name}
		var secrets []string
		for _, k := range kind.AllKeys() {
			v, ok := e.Keys[k.Name]
			if !ok || k.Name == "kind" {
				continue
			}
			if k.Type == config.KeySecret {
				t.Setenv(envName(e.Name, k.Name), v)
				secrets = append(secrets, v)
				continue // left to default to env:ROSTER_NAME_KEY
			}
			args = append(args, "--set", k.Name+"="+v)
		}
		path := filepath.Join(t.TempDir(), "sub", "config.toml")
		code, out, stderr := execRoster(ctx, append([]string{"--config", path}, args...)...)
		if code != exitOK || strings.Contains(out, "✗") {
			t.Fatalf("%s: config init: exit %d\n%s%s", e.Kind, code, out, stderr)
		}
		data, _ := os.ReadFile(path)
		for _, s := range secrets {
			if strings.Contains(string(data), s) {
				t.Errorf("%s: a secret was written literally:\n%s", e.Kind, data)
			}
		}
		if !strings.Contains(string(data), "env:ROSTER_") {
			t.Errorf("%s: no env: reference:\n%s", e.Kind, data)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", e.Kind, fi.Mode().Perm())
		}
		if code, _, stderr := execRoster(ctx, append([]string{"--config", path}, args...)...); code != exitUsage || !strings.Contains(stderr, "never overwrites") {
			t.Errorf("%s: second init: want exit 2 refusing, got %d %q", e.Kind, code, stderr)
		}
		if again, _ := os.ReadFile(path); string(again) != string(data) {
			t.Errorf("%s: the existing file changed", e.Kind)
		}
	}
	path := filepath.Join(t.TempDir(), "literal.toml")
	code, _, stderr := execRoster(ctx, "--config", path, "config", "init", "--kind", "apideck",
		"--set", "app_id=a", "--set", "consumer_id=c", "--set", "api_key=plain")
	if _, err := os.Stat(path); code != exitUsage || err == nil || !strings.Contains(stderr, "--literal-secrets") {
		t.Errorf("literal secret: want exit 2 and no file, got %d %q (stat: %v)", code, stderr, err)
	}
}

// TestConfigInitFormAsksTheKindsKeys: without --kind a form asks (here in
// huh's accessible mode, from a pipe) the kind, the name and the kind's
// keys; an empty secret answer keeps its env: reference.
func TestConfigInitFormAsksTheKindsKeys(t *testing.T) {
	run, err := sandbox.New(sandbox.Options{Users: 5}).Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	var keys map[string]string
	for _, e := range sandbox.DemoEntries(run.URL) {
		if e.Kind == "apideck" {
			keys = e.Keys
		}
	}
	t.Setenv("ROSTER_SALES_API_KEY", keys["api_key"])
	path := filepath.Join(t.TempDir(), "config.toml")
	root := newRootCmd()
	var out, errOut strings.Builder
	root.SetArgs([]string{"--config", path, "config", "init"})
	root.SetOut(&out)
	root.SetErr(&errOut)
	// kind 1 (apideck), name, base_url, api_key (empty: the env: default), app_id, consumer_id
	root.SetIn(strings.NewReader("1\nsales\n" + run.URL + "\n\n" + keys["app_id"] + "\n" + keys["consumer_id"] + "\n"))
	if err := root.ExecuteContext(context.Background()); err != nil || strings.Contains(out.String(), "✗") {
		t.Fatalf("config init form: %v\n%s%s", err, out.String(), errOut.String())
	}
	data, _ := os.ReadFile(path)
	for _, want := range []string{"[providers.sales]", `api_key = "env:ROSTER_SALES_API_KEY"`, `app_id = "` + keys["app_id"] + `"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("want %s in\n%s", want, data)
		}
	}
}
