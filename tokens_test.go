package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/roster-tui/roster/crm/sandbox"
)

// sandboxWorld is a sandbox with every provider kind and a config file for
// it (the one `roster sandbox` prints) with its own audit log.
type sandboxWorld struct {
	server   *sandbox.Server
	url      string
	config   string
	auditLog string
}

func newSandboxWorld(t testing.TB, opts sandbox.Options) *sandboxWorld {
	t.Helper()
	srv := sandbox.New(opts)
	run, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	dir := t.TempDir()
	w := &sandboxWorld{server: srv, url: run.URL, config: filepath.Join(dir, "config.toml"), auditLog: filepath.Join(dir, "audit.jsonl")}
	doc := sampleConfig(demoConfig(run.URL)) + "\n[ssh]\naudit_log = " + tomlString(w.auditLog) + "\n"
	if err := os.WriteFile(w.config, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

// exec runs one roster command in-process (a fresh cobra root: its own
// transport, token cache handle and audit handle, as a new process has).
func (w *sandboxWorld) exec(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	return execRoster(ctx, append([]string{"--config", w.config}, args...)...)
}

// TestAccessTokensAreSharedAcrossProcesses: a dozen CLI runs at once, each
// with its own token cache handle on the state directory as separate
// processes have, ask Zoho's and Laurel's token endpoints once in all — not
// once each, which would spend Zoho's ten tokens per ten minutes (issue 13
// item 5).
func TestAccessTokensAreSharedAcrossProcesses(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	w := newSandboxWorld(t, sandbox.Options{Users: 20})
	const runs = 12 // more than Zoho's ten tokens per window
	var wg sync.WaitGroup
	for i := range runs {
		for _, p := range []string{"zoho-demo", "laurel-demo"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if code, _, stderr := w.exec(context.Background(), "-p", p, "users", "list", "--limit", "1"); code != exitOK {
					t.Errorf("run %d on %s: exit %d: %s", i, p, code, stderr)
				}
			}()
		}
	}
	wg.Wait()
	if n := w.server.ZohoTokensIssued(); n != 1 {
		t.Errorf("Zoho issued %d access tokens to %d processes, want 1", n, runs)
	}
	if n := w.server.LaurelTokensIssued(); n != 1 {
		t.Errorf("Laurel issued %d access tokens to %d processes, want 1", n, runs)
	}
	files, _ := filepath.Glob(filepath.Join(os.Getenv("XDG_STATE_HOME"), "roster", "tokens", "*.json"))
	if len(files) != 2 {
		t.Fatalf("token files %v, want one per account", files)
	}
	for _, f := range files {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, %v; want 0600", f, fi.Mode().Perm(), err)
		}
	}
}

// TestTokenEndpointFailuresAreTransient: a token endpoint answering 502 (past
// the retries), or a garbled 200, is a passing failure — exit 6, "temporarily
// unavailable" — not "rate limited" and not "re-authorise" (issue 12 item
// 10, issue 13 item 5).
func TestTokenEndpointFailuresAreTransient(t *testing.T) {
	cases := []struct {
		name, provider, path string
		garble               bool
	}{
		{"zoho 502", "zoho-demo", "/oauth/v2/token", false},
		{"zoho garbled", "zoho-demo", "/oauth/v2/token", true},
		{"laurel 502", "laurel-demo", "/api/v1/oauth/token", false},
		{"laurel garbled", "laurel-demo", "/api/v1/oauth/token", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each sandbox has its own port, so its own token cache key
			w := newSandboxWorld(t, sandbox.Options{Users: 5})
			if c.garble {
				w.server.MalformNextWrites(c.path, 10, false) // more than any retry
			} else {
				w.server.ForceError(c.path, http.StatusBadGateway, 100, 0)
			}
			code, _, stderr := w.exec(context.Background(), "-p", c.provider, "users", "list", "--limit", "1")
			if code != exitUnreachable || !strings.Contains(stderr, "temporarily unavailable") ||
				strings.Contains(stderr, "rate limited") || strings.Contains(stderr, "re-authorise") {
				t.Errorf("exit %d, want %d (temporarily unavailable): %s", code, exitUnreachable, stderr)
			}
		})
	}
}
