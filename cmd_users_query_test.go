package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm/match"
	"github.com/roster-tui/roster/crm/sandbox"
)

// laurelCLI is a config with the sandbox's Laurel as the only provider.
func laurelCLI(t *testing.T, opts sandbox.Options) *cli {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	run, err := sandbox.New(opts).Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	dir := t.TempDir()
	c := &cli{t: t, config: filepath.Join(dir, "config.toml"), auditLog: filepath.Join(dir, "audit.jsonl")}
	doc := `
[providers.time]
kind = "laurel"
base_url = "` + run.URL + `"
token_url = "` + run.URL + `/api/v1/oauth/token"
client_id = "` + sandbox.LaurelClientID + `"
client_secret = "` + sandbox.LaurelClientSecret + `"
customer_id = "` + sandbox.LaurelCustomerID + `"

[ssh]
audit_log = "` + c.auditLog + `"
`
	if err := os.WriteFile(c.config, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return c
}

// Issue 12 item 2: Laurel ignores queries under 2 characters and lists
// everyone; the CLI says so on stderr and narrows every page itself.
func TestUsersListShortQueryOnLaurelPrintsOnlyMatches(t *testing.T) {
	c := laurelCLI(t, sandbox.Options{Users: 60})
	all := jsonUsers(t, c.mustRun("users", "list", "--all", "--json"))
	out, stderr, err := c.run("users", "list", "--query", "q", "--json")
	if err != nil {
		t.Fatalf("list --query q: %v\n%s", err, stderr)
	}
	got := jsonUsers(t, out)
	if len(got) >= len(all) {
		t.Errorf("--query q printed %d of %d users: not narrowed", len(got), len(all))
	}
	m := match.New("q")
	for _, u := range got {
		if !m.Match(str(u["name"]), str(u["first_name"]), str(u["last_name"]), str(u["email"]), str(u["title"]), str(u["department"]), str(u["status"])) {
			t.Errorf("--query q printed %v (%v, %v), which does not match", u["id"], u["name"], u["email"])
		}
	}
	if !strings.Contains(stderr, "does not search for") {
		t.Errorf("stderr does not say the provider could not search: %q", stderr)
	}
}

// Issue 12 item 2: a server's answer is checked too — every user printed
// for a searched query matches it.
func TestUsersListServerQueryPrintsOnlyMatches(t *testing.T) {
	c := laurelCLI(t, sandbox.Options{Users: 60})
	got := jsonUsers(t, c.mustRun("users", "list", "--query", "ada", "--all", "--json"))
	m := match.New("ada")
	for _, u := range got {
		if !m.Match(str(u["name"]), str(u["first_name"]), str(u["last_name"]), str(u["email"]), str(u["title"]), str(u["department"]), str(u["status"])) {
			t.Errorf("--query ada printed %v (%v, %v)", u["id"], u["name"], u["email"])
		}
	}
}

func str(v any) string { s, _ := v.(string); return s }

// Issue 12 item 4: the same update twice writes once; the second prints
// "no change", exits 0, and adds no audit line.
func TestUsersUpdateTwiceSecondChangesNothing(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	c.mustRun("users", "update", "10000", "--set", "title=Chief Tester", "--set", "status=INACTIVE")
	before := c.mustRun("users", "get", "10000", "--json")
	trail, _ := os.ReadFile(c.auditLog)
	out := c.mustRun("users", "update", "10000", "--set", "title=Chief Tester", "--set", "status=inactive")
	if strings.TrimSpace(out) != "no change" {
		t.Errorf("second update printed %q, want \"no change\"", out)
	}
	if after := c.mustRun("users", "get", "10000", "--json"); after != before {
		t.Errorf("second update wrote: before %s\nafter %s", before, after)
	}
	if again, _ := os.ReadFile(c.auditLog); string(again) != string(trail) {
		t.Errorf("second update was audited:\n%s", strings.TrimPrefix(string(again), string(trail)))
	}
}
