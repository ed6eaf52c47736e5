package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/sandbox"
)

// cli is one test's world: a sandbox on loopback and a config file pointing
// the Apideck provider at it.
type cli struct {
	t        *testing.T
	config   string
	auditLog string
}

func newCLI(t *testing.T, opts sandbox.Options, extra string) *cli {
	t.Helper()
	// A default config on this machine must not leak into the tests.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	run, err := sandbox.New(opts).Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	dir := t.TempDir()
	c := &cli{t: t, config: filepath.Join(dir, "config.toml"), auditLog: filepath.Join(dir, "audit.jsonl")}
	doc := `
[providers.sales]
kind = "apideck"
base_url = "` + run.URL + `"
api_key = "` + sandbox.ApideckAPIKey + `"
app_id = "` + sandbox.ApideckAppID + `"
consumer_id = "` + sandbox.ApideckConsumerID + `"
` + extra + `
[ssh]
audit_log = "` + c.auditLog + `"
`
	if err := os.WriteFile(c.config, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return c
}

// run executes roster in-process with the test config.
func (c *cli) run(args ...string) (stdout, stderr string, err error) {
	return runRoster(context.Background(), append([]string{"--config", c.config}, args...)...)
}

func runRoster(ctx context.Context, args ...string) (string, string, error) {
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetIn(strings.NewReader(""))
	err := root.ExecuteContext(ctx)
	return out.String(), errOut.String(), err
}

// execRoster runs roster in-process the way main does and returns the exit
// code with what was printed.
func execRoster(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetIn(strings.NewReader(""))
	code = execute(ctx, root, &errOut)
	return code, out.String(), errOut.String()
}

// mustRun fails the test when the command fails.
func (c *cli) mustRun(args ...string) string {
	c.t.Helper()
	out, stderr, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("roster %s: %v\nstderr: %s", strings.Join(args, " "), err, stderr)
	}
	return out
}

// jsonUsers decodes --json output of a list.
func jsonUsers(t *testing.T, out string) []map[string]any {
	t.Helper()
	var users []map[string]any
	if err := json.Unmarshal([]byte(out), &users); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	return users
}

func TestUsersListJSONPrintsCommonNamesAndProviderFields(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	users := jsonUsers(t, c.mustRun("users", "list", "--json", "--limit", "3"))
	if len(users) != 3 {
		t.Fatalf("%d users, want 3", len(users))
	}
	for _, u := range users {
		for _, k := range crm.CommonNames {
			if _, ok := u[k]; !ok {
				t.Errorf("user %v lacks %q", u["id"], k)
			}
		}
		fields, _ := u["fields"].(map[string]any)
		if fields["id"] != u["id"] || fields["emails"] == nil {
			t.Errorf("fields of %v are not the provider's object: %v", u["id"], fields)
		}
	}
}

func TestUsersListAllFollowsEveryPage(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 250}, "")
	users := jsonUsers(t, c.mustRun("users", "list", "--all", "--json", "--page-size", "100"))
	seen := map[any]bool{}
	for _, u := range users {
		if seen[u["id"]] {
			t.Fatalf("user %v listed twice", u["id"])
		}
		seen[u["id"]] = true
	}
	if len(seen) != 250 {
		t.Errorf("%d users, want all 250", len(seen))
	}
	limited := jsonUsers(t, c.mustRun("users", "list", "--limit", "130", "--json", "--page-size", "100"))
	if len(limited) != 130 {
		t.Errorf("--limit 130 printed %d users", len(limited))
	}
}

func TestUsersUpdateThenGetShowsTheNewTitle(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	first := jsonUsers(t, c.mustRun("users", "list", "--json", "--limit", "1"))[0]
	id := first["id"].(string)

	out := c.mustRun("users", "update", id, "--set", "title=Head of Tea", "--set", "status=inactive")
	if !strings.Contains(out, "Head of Tea") {
		t.Errorf("update did not print the updated user:\n%s", out)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(c.mustRun("users", "get", id, "--json")), &got); err != nil {
		t.Fatal(err)
	}
	if got["title"] != "Head of Tea" || got["status"] != "inactive" || got["email"] != first["email"] {
		t.Errorf("after update: title %v, status %v, email %v", got["title"], got["status"], got["email"])
	}
	trail, err := os.ReadFile(c.auditLog)
	if err != nil || !strings.Contains(string(trail), `"action":"update"`) || !strings.Contains(string(trail), "Head of Tea") {
		t.Errorf("audit log after update: %s (%v)", trail, err)
	}
}

func TestUsersUpdateExplainsBadKeysAndValues(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	tests := []struct {
		set, want string
	}{
		{"salary=1", "--set salary: no such field (editable: first_name, last_name, email, username, title, department"},
		{"id=42", "--set id: ID is read-only (editable: "},
		{"status=sleeping", `--set status: "sleeping" is not one of active, inactive`},
		{"email=not-an-address", `--set email: "not-an-address" is not an email address`},
		{"title", `--set "title": want key=value`},
	}
	for _, tt := range tests {
		_, _, err := c.run("users", "update", "10000", "--set", tt.set)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("--set %s: error %v, want %q", tt.set, err, tt.want)
		}
	}
}

func TestUsersDeleteNeedsYesThenTheUserIsGone(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	_, _, err := c.run("users", "delete", "10005")
	if err == nil || !strings.Contains(err.Error(), "without --yes") {
		t.Fatalf("delete without --yes: %v", err)
	}
	c.mustRun("users", "get", "10005") // still there

	if out := c.mustRun("users", "delete", "10005", "--yes"); !strings.Contains(out, "deleted user 10005") {
		t.Errorf("delete printed %q", out)
	}
	_, _, err = c.run("users", "get", "10005")
	if !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("get after delete: %v, want not found", err)
	}
	if !strings.Contains(err.Error(), "Could not find user") {
		t.Errorf("the provider's own words are missing: %v", err)
	}
}

func TestReadOnlyProviderRefusesWrites(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "read_only = true\n")
	before := c.mustRun("users", "get", "10000", "--json")
	for _, args := range [][]string{
		{"users", "update", "10000", "--set", "title=x"},
		{"users", "delete", "10000", "--yes"},
	} {
		_, _, err := c.run(args...)
		if err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("roster %s on a read-only provider: %v, want a read-only refusal", strings.Join(args[:2], " "), err)
		}
	}
	if after := c.mustRun("users", "get", "10000", "--json"); after != before {
		t.Errorf("a read-only provider's user changed:\nbefore %s\nafter %s", before, after)
	}
	if out := c.mustRun("providers"); !regexp.MustCompile(`(?m)^\*?\s*sales\s+apideck\s.*\byes\b`).MatchString(out) {
		t.Errorf("providers does not say sales is read-only:\n%s", out)
	}
}

func TestUsersTableCleansProviderTextButJSONKeepsIt(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	hostile := "Boss\x1b]0;pwned\x07\x1b[31m"
	c.mustRun("users", "update", "10000", "--set", "title="+hostile)
	table := c.mustRun("users", "list", "--limit", "1")
	if strings.ContainsRune(table, 0x1b) || strings.ContainsRune(table, 0x07) || !strings.Contains(table, "Boss") {
		t.Errorf("table shows raw control characters or lost the title: %q", table)
	}
	detail := c.mustRun("users", "get", "10000")
	if strings.ContainsRune(detail, 0x1b) {
		t.Errorf("detail shows raw control characters: %q", detail)
	}
	users := jsonUsers(t, c.mustRun("users", "list", "--limit", "1", "--json"))
	if users[0]["title"] != hostile {
		t.Errorf("JSON title = %q, want the raw %q", users[0]["title"], hostile)
	}
}

func TestLookupOnAProviderWithoutIdentities(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	_, _, err := c.run("users", "lookup", "email", "ada.0@example.com")
	if err == nil || err.Error() != "provider sales (apideck) has no identity lookup" {
		t.Errorf("lookup: %v", err)
	}
}

func TestDebugTracesRequestsWithoutCredentials(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	_, stderr, err := c.run("--debug", "users", "get", "10000")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "GET ") || !strings.Contains(stderr, "/crm/users/10000") {
		t.Errorf("no trace of the request:\n%s", stderr)
	}
	if strings.Contains(stderr, sandbox.ApideckAPIKey) {
		t.Errorf("the API key is in the trace:\n%s", stderr)
	}
}

func TestProvidersListsKindLabelAndCapabilities(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	out := c.mustRun("providers")
	for _, want := range []string{"sales", "apideck", "Apideck Unify CRM", "update", "delete", "cursor paging"} {
		if !strings.Contains(out, want) {
			t.Errorf("providers output lacks %q:\n%s", want, out)
		}
	}
}

func TestConfigErrorsNameFileLineAndKey(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "refresh_token = \"x\"\n")
	_, _, err := c.run("users", "list")
	want := c.config + `:8:1: provider "sales": key refresh_token is not used by kind apideck`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v\nwant prefix %s", err, want)
	}
	_, _, err = newCLI(t, sandbox.Options{}, "").run("--provider", "nope", "users", "list")
	if err == nil || !strings.Contains(err.Error(), `no provider "nope"`) {
		t.Errorf("unknown --provider: %v", err)
	}
}

// TestNoConfigFileIsAnErrorNotTheDemo: a script with a missing or mistyped
// config path must fail, never act on the embedded demo.
func TestNoConfigFileIsAnErrorNotTheDemo(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("ROSTER_CONFIG", "")
	def := filepath.Join(dir, "roster", "config.toml")
	missing := filepath.Join(dir, "typo.toml")
	for _, tt := range []struct {
		args []string
		path string
	}{
		{[]string{"users", "delete", "10001", "--yes"}, def},
		{[]string{"users", "list"}, def},
		{[]string{"providers"}, def},
		{[]string{"audit"}, def},
		{[]string{"--config", missing, "users", "list"}, missing},
	} {
		code, out, stderr := execRoster(context.Background(), tt.args...)
		want := "no config file at " + tt.path + " (set --config, ROSTER_CONFIG, or pass --demo for the embedded sandbox)"
		if code != exitUsage || !strings.Contains(stderr, want) || out != "" {
			t.Errorf("roster %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(tt.args, " "), code, out, stderr, want)
		}
	}
	t.Setenv("ROSTER_CONFIG", missing)
	if code, _, stderr := execRoster(context.Background(), "users", "list"); code != exitUsage || !strings.Contains(stderr, missing) {
		t.Errorf("ROSTER_CONFIG=%s: exit %d, %s", missing, code, stderr)
	}
	// --demo is the way to ask for the demo.
	t.Setenv("ROSTER_CONFIG", "")
	out, _, err := runRoster(context.Background(), "--demo", "users", "list", "--limit", "2", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if users := jsonUsers(t, out); len(users) != 2 {
		t.Errorf("demo listed %d users, want 2", len(users))
	}
}

func TestRosterConfigSelectsTheConfig(t *testing.T) {
	c := newCLI(t, sandbox.Options{}, "")
	t.Setenv("ROSTER_CONFIG", c.config)
	out, _, err := runRoster(context.Background(), "users", "list", "--limit", "1", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if len(jsonUsers(t, out)) != 1 {
		t.Errorf("ROSTER_CONFIG did not select the config: %s", out)
	}
}

func TestSandboxPrintsAConfigThatLoads(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // print, then stop at once
	out, _, err := runRoster(ctx, "sandbox", "--listen", "127.0.0.1:0", "--users", "10")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "listening on http://127.0.0.1:") {
		t.Errorf("no URL in:\n%s", out)
	}
	path := filepath.Join(t.TempDir(), "sandbox.toml")
	if err := os.WriteFile(path, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatalf("the printed config does not load: %v\n%s", err, out)
	}
	if len(cfg.Order) == 0 || len(cfg.Warnings) != 0 {
		t.Errorf("providers %v, warnings %v", cfg.Order, cfg.Warnings)
	}
}

// TestEveryDemoProviderListsAndLooksUp runs the CLI over the sandbox's own
// sample config, so every kind built into this binary is exercised.
func TestEveryDemoProviderListsAndLooksUp(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	run, err := sandbox.New(sandbox.Options{Users: 40}).Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	demo := demoConfig(run.URL)
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(sampleConfig(demo)), 0o600); err != nil {
		t.Fatal(err)
	}
	lookedUp := false
	for _, name := range demo.Order {
		out, _, err := runRoster(context.Background(), "--config", path, "-p", name, "users", "list", "--all", "--json")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		users := jsonUsers(t, out)
		if len(users) == 0 {
			t.Fatalf("%s: no users", name)
		}
		p, err := config.Open(demo.Providers[name], config.Deps{})
		if err != nil {
			t.Fatal(err)
		}
		types := p.Info().Caps.IdentityTypes
		if !slices.Contains(types, "email") {
			continue
		}
		email, _ := users[0]["email"].(string)
		out, _, err = runRoster(context.Background(), "--config", path, "-p", name, "users", "lookup", "email", email, "--json")
		if err != nil {
			t.Fatalf("%s: lookup email %s: %v", name, email, err)
		}
		var u map[string]any
		if err := json.Unmarshal([]byte(out), &u); err != nil || u["id"] != users[0]["id"] {
			t.Errorf("%s: lookup found %v, want %v (%v)", name, u["id"], users[0]["id"], err)
		}
		lookedUp = true
	}
	if !lookedUp { // Laurel's demo account looks users up by email
		t.Error("no demo provider was looked up by email: the lookup half of this test ran nothing")
	}
}
