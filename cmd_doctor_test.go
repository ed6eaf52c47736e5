package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm/sandbox"
)

// doctorConfig writes the sandbox's own printed config plus an [ssh] table
// with a host key of the given mode.
func doctorConfig(t *testing.T, url, apiKey string, keyMode os.FileMode) string {
	t.Helper()
	dir := t.TempDir()
	key := filepath.Join(dir, "host_key")
	if err := os.WriteFile(key, []byte("key"), keyMode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(key, keyMode); err != nil {
		t.Fatal(err)
	}
	doc := `
[providers.sales]
kind = "apideck"
base_url = "` + url + `"
api_key = "` + apiKey + `"
app_id = "` + sandbox.ApideckAppID + `"
consumer_id = "` + sandbox.ApideckConsumerID + `"

[ssh]
host_key = "` + key + `"
audit_log = "` + filepath.Join(dir, "audit.jsonl") + `"
`
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDoctorPassesAndFailsExactlyWhereItShould(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	run, err := sandbox.New(sandbox.Options{Users: 5}).Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stopped, err := sandbox.New(sandbox.Options{Users: 5}).Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_ = stopped.Close()
	t.Cleanup(func() { _ = run.Close() })
	for _, tt := range []struct {
		name, url, key string
		mode           os.FileMode
		fail           string // the one failing check, "" for none
	}{
		{"all pass", run.URL, sandbox.ApideckAPIKey, 0o600, ""},
		{"wrong key", run.URL, "wrong", 0o600, "✗ sales: credentials"},
		{"stopped sandbox", stopped.URL, sandbox.ApideckAPIKey, 0o600, "✗ sales: reachable"},
		{"world-readable host key", run.URL, sandbox.ApideckAPIKey, 0o644, "✗ ssh host key"},
	} {
		path := doctorConfig(t, tt.url, tt.key, tt.mode)
		code, out, stderr := execRoster(context.Background(), "--config", path, "doctor")
		fails := strings.Count(out, "✗")
		switch {
		case tt.fail == "" && (code != exitOK || fails != 0):
			t.Errorf("%s: exit %d, %d failures:\n%s%s", tt.name, code, fails, out, stderr)
		case tt.fail != "" && (code == exitOK || fails != 1 || !strings.Contains(out, tt.fail)):
			t.Errorf("%s: exit %d, want exactly %q to fail:\n%s%s", tt.name, code, tt.fail, out, stderr)
		}
	}
}
