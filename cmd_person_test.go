package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/person"
	"github.com/roster-tui/roster/crm/sandbox"
)

// people is a CLI test's world with every provider kind: the demo's config
// pointed at a sandbox of its own, audited to a file.
type people struct {
	t        *testing.T
	sandbox  *sandbox.Server
	config   string
	auditLog string
}

// newPeople starts a sandbox and writes the demo's config for it; edit
// changes the TOML before it is written.
func newPeople(t *testing.T, edit func(string) string) *people {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	s := sandbox.New(sandbox.Options{Users: 60})
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	dir := t.TempDir()
	w := &people{t: t, sandbox: s, config: filepath.Join(dir, "config.toml"), auditLog: filepath.Join(dir, "audit.jsonl")}
	doc := sampleConfig(demoConfig(run.URL)) + "\n[ssh]\naudit_log = \"" + w.auditLog + "\"\n"
	if edit != nil {
		doc = edit(doc)
	}
	if err := os.WriteFile(w.config, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *people) exec(args ...string) (int, string, string) {
	return execRoster(context.Background(), append([]string{"--config", w.config}, args...)...)
}

func TestPersonFindJSONHasOneObjectPerProvider(t *testing.T) {
	w := newPeople(t, nil)
	code, out, stderr := w.exec("person", "find", "jose.8@example.com", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var found []struct {
		Provider string           `json:"provider"`
		Found    bool             `json:"found"`
		Users    []map[string]any `json:"users"`
		Error    *string          `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := map[string]bool{"sales": true, "zoho-demo": true, "truto-demo": true, "laurel-demo": false}
	if len(found) != 4 {
		t.Fatalf("%d objects, want 4", len(found))
	}
	for _, f := range found {
		if f.Found != want[f.Provider] || f.Error != nil || len(f.Users) != map[bool]int{true: 1}[f.Found] {
			t.Errorf("%+v", f)
		}
		if f.Found && f.Users[0]["email"] != "jose.8@example.com" {
			t.Errorf("%s found %v", f.Provider, f.Users[0]["email"])
		}
	}
}

func TestPersonFindWithAProviderFailingIsAFailureNotNotFound(t *testing.T) {
	w := newPeople(t, nil)
	if code, _, _ := w.exec("person", "find", "nobody@example.com"); code != exitNotFound {
		t.Errorf("a person in no provider: exit %d, want %d", code, exitNotFound)
	}
	w.sandbox.ForceError("/crm/v2/", http.StatusInternalServerError, 100, 0)
	code, out, stderr := w.exec("person", "find", "ada.0@example.com")
	if code != exitUnreachable {
		t.Fatalf("exit %d, want %d: %s", code, exitUnreachable, stderr)
	}
	if !strings.Contains(out, "zoho-demo    error") || strings.Count(out, " yes ") != 3 {
		t.Errorf("table:\n%s", out)
	}
	if !strings.Contains(stderr, "could not search zoho-demo") {
		t.Errorf("stderr: %s", stderr)
	}
}

func TestPersonOffboardDeleteIsOneAuditedRun(t *testing.T) {
	w := newPeople(t, nil)
	if code, _, stderr := w.exec("person", "offboard", "ada.0@example.com", "--delete"); code != exitUsage {
		t.Fatalf("without --yes: exit %d (%s)", code, stderr)
	}
	code, out, stderr := w.exec("person", "offboard", "ada.0@example.com", "--delete", "--yes", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		Run     string `json:"run"`
		Results []struct {
			Provider string `json:"provider"`
			Outcome  string `json:"outcome"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Results) != 4 {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, r := range res.Results {
		if r.Outcome != "done" {
			t.Errorf("%s: %s", r.Provider, r.Outcome)
		}
	}
	entries, err := audit.Read(w.auditLog, audit.Filter{})
	if err != nil || len(entries) != 4 {
		t.Fatalf("audit: %d entries, %v", len(entries), err)
	}
	for _, e := range entries {
		if e.Run != res.Run || e.Action != "delete" || e.Result != audit.ResultOK {
			t.Errorf("audit entry %+v, want run %s", e, res.Run)
		}
	}
	if code, _, _ := w.exec("person", "find", "ada.0@example.com"); code != exitNotFound {
		t.Errorf("after the offboarding find exits %d, want %d", code, exitNotFound)
	}
	// roster audit --run shows the whole offboarding: a line per provider.
	code, out, stderr = w.exec("audit", "--run", res.Run)
	if code != 0 || strings.Count(out, "deleted Ada Lovelace") != 4 {
		t.Errorf("audit --run: exit %d\n%s%s", code, out, stderr)
	}
}

// A provider refusing is a failure exit with the per-provider table on
// stderr; the other providers are done all the same.
func TestPersonOffboardWithOneProviderRefusing(t *testing.T) {
	w := newPeople(t, func(doc string) string {
		return strings.Replace(doc, sandbox.TrutoAccountSalesforce, sandbox.TrutoAccountReadOnly, 1)
	})
	code, out, stderr := w.exec("person", "offboard", "ada.0@example.com", "--delete", "--yes")
	if code == 0 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, want := range []string{"sales ", "truto-demo ", "failed", "405", "not done in truto-demo"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Count(stderr, "  done") != 3 {
		t.Errorf("want 3 providers done:\n%s", stderr)
	}
}

// Deactivating offboards where the provider can; Zoho (no documented
// deactivation) is skipped, so the exit is a failure with the table on
// stderr and a hint to delete there; find then shows her inactive.
func TestPersonOffboardDeactivates(t *testing.T) {
	w := newPeople(t, nil)
	code, out, stderr := w.exec("person", "offboard", "ada.0@example.com", "--yes")
	if code != exitOther || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, stderr)
	}
	if strings.Count(stderr, "deactivate  done") != 3 || !strings.Contains(stderr, "--delete-in zoho-demo") {
		t.Errorf("stderr:\n%s", stderr)
	}
	code, out, _ = w.exec("person", "find", "ada.0@example.com", "--json")
	var found []struct {
		Provider string `json:"provider"`
		Users    []struct {
			Active *bool `json:"active"`
		} `json:"users"`
	}
	if err := json.Unmarshal([]byte(out), &found); err != nil || code != 0 {
		t.Fatalf("find: exit %d %v", code, err)
	}
	for _, f := range found {
		active := f.Users[0].Active
		if want := f.Provider == "zoho-demo"; active == nil || *active != want {
			t.Errorf("%s: active %v after offboarding", f.Provider, active)
		}
	}
	code, out, stderr = w.exec("person", "offboard", "ada.0@example.com", "--delete-in", "zoho-demo", "--yes")
	if code != 0 || strings.Count(out, "unchanged") != 3 || !regexp.MustCompile(`zoho-demo .* delete +done`).MatchString(out) {
		t.Fatalf("deleting in zoho: exit %d\n%s%s", code, out, stderr)
	}
}

// The whole offboarding in one run: deactivate where the provider can,
// delete in Zoho; the audit shows one run, a line per provider.
func TestPersonOffboardInOneRunWithDeleteIn(t *testing.T) {
	w := newPeople(t, nil)
	code, out, stderr := w.exec("person", "offboard", "ada.0@example.com", "--delete-in", "zoho-demo", "--yes", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		Run string `json:"run"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Run == "" {
		t.Fatalf("%v\n%s", err, out)
	}
	entries, err := audit.Read(w.auditLog, audit.Filter{Run: res.Run})
	if err != nil || len(entries) != 4 {
		t.Fatalf("audit of the run: %d entries, %v", len(entries), err)
	}
	actions := map[string]string{}
	for _, e := range entries {
		actions[e.Provider] = e.Action + " " + e.Result
	}
	want := map[string]string{"sales": "update ok", "zoho-demo": "delete ok", "truto-demo": "update ok", "laurel-demo": "update ok"}
	for k, v := range want {
		if actions[k] != v {
			t.Errorf("audit %s: %q, want %q", k, actions[k], v)
		}
	}
	if code, _, _ := w.exec("person", "offboard", "ada.0@example.com", "--delete-in", "nowhere", "--yes"); code != exitUsage {
		t.Errorf("--delete-in an unknown provider: exit %d", code)
	}
}

func TestPersonOnboardCreatesWhereProvidersCan(t *testing.T) {
	w := newPeople(t, nil)
	args := []string{"person", "onboard", "--set", "email=new.hire@example.com", "--set", "first_name=New", "--set", "last_name=Hire",
		"--set", "zoho-demo.role=Manager", "--set", "zoho-demo.profile=Standard"}
	if code, _, stderr := w.exec(args...); code != exitUsage {
		t.Fatalf("without --yes: exit %d %s", code, stderr)
	}
	code, out, stderr := w.exec(append(args, "--yes", "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		Run     string `json:"run"`
		Results []struct {
			Provider string `json:"provider"`
			Outcome  string `json:"outcome"`
			UserID   string `json:"user_id"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Results) != 3 {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, r := range res.Results {
		if r.Outcome != "done" || r.UserID == "" {
			t.Errorf("%+v", r)
		}
	}
	if !strings.Contains(stderr, "laurel-demo cannot create users") {
		t.Errorf("stderr: %s", stderr)
	}
	entries, err := audit.Read(w.auditLog, audit.Filter{Run: res.Run})
	if err != nil || len(entries) != 3 {
		t.Errorf("audit of run %s: %d entries, %v", res.Run, len(entries), err)
	}
	// A chosen provider that cannot create, or lacks a required field, is
	// a failure; the others are created regardless.
	code, out, stderr = w.exec("person", "onboard", "--set", "email=second@example.com", "--set", "first_name=Only",
		"-p", "sales", "-p", "laurel-demo", "-p", "truto-demo", "--yes")
	if code == 0 || out != "" || !strings.Contains(stderr, "sales ") || !strings.Contains(stderr, "last_name") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	if code, _, _ := w.exec("person", "find", "second@example.com"); code != 0 {
		t.Errorf("sales was not created: find exits %d", code)
	}
}

// An unknown outcome anywhere is exit 8 (settle by reading), before any
// other failure; a refusal keeps its own code.
func TestPersonIncompleteExitCodes(t *testing.T) {
	refused := person.Result{Step: person.Step{Provider: "a"}, Outcome: person.Failed,
		Err: &crm.Error{Kind: crm.KindForbidden, Provider: "a", Message: "no"}}
	lost := person.Result{Step: person.Step{Provider: "b"}, Outcome: person.Unknown,
		Err: crm.UnknownOutcome("b", "update user 1", errors.New("connection reset"))}
	if code := exitCode(incompleteError("x@example.com", []person.Result{refused, lost})); code != exitUnknownWrite {
		t.Errorf("refused + unknown: exit %d, want %d", code, exitUnknownWrite)
	}
	if code := exitCode(incompleteError("x@example.com", []person.Result{refused})); code != exitNotAllowed {
		t.Errorf("refused: exit %d, want %d", code, exitNotAllowed)
	}
}

// person's own -p and --delete-in complete provider names, like the global
// --provider they shadow.
func TestPersonProviderFlagsComplete(t *testing.T) {
	w := newPeople(t, nil)
	for _, args := range [][]string{
		{"__complete", "person", "find", "x", "-p", ""},
		{"__complete", "person", "offboard", "x", "--delete-in", ""},
	} {
		code, out, stderr := w.exec(args...)
		if code != 0 || !strings.Contains(out, "zoho-demo\tzoho") || !strings.Contains(out, "laurel-demo\tlaurel") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, stderr)
		}
	}
}
