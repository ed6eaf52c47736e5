package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/run"
	"github.com/roster-tui/roster/crm/sandbox"
)

// TestMain lets a test run this test binary as roster itself, in a child
// process it can kill -9: ROSTER_TEST_ARGS holds the arguments (JSON).
func TestMain(m *testing.M) {
	if args := os.Getenv("ROSTER_TEST_ARGS"); args != "" {
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			fmt.Fprintln(os.Stderr, "ROSTER_TEST_ARGS:", err)
			os.Exit(1)
		}
		root := newRootCmd()
		root.SetArgs(a)
		os.Exit(execute(context.Background(), root, os.Stderr))
	}
	os.Exit(runTests(m))
}

// writeLog counts, per user, the PATCH requests the sandbox applied (answered
// 2xx) and all PATCH requests, and can hold one write's answer back: the
// write is applied, its answer never leaves, so the client is killed with
// a write in flight whose outcome it cannot know.
type writeLog struct {
	mu      sync.Mutex
	applied map[string]int
	sent    map[string]int
	patches int
	holdAt  int           // the PATCH to hold (1-based)
	held    chan struct{} // closed when it is held
	release chan struct{} // closed by the test after the kill
}

func (l *writeLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPatch {
			h.ServeHTTP(w, r)
			return
		}
		id := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		l.mu.Lock()
		l.patches++
		hold := l.patches == l.holdAt
		l.sent[id]++
		l.mu.Unlock()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code >= 200 && rec.Code < 300 {
			l.mu.Lock()
			l.applied[id]++
			l.mu.Unlock()
		}
		if hold {
			close(l.held)
			select {
			case <-l.release:
			case <-r.Context().Done():
			}
			return // the answer never leaves
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// The "Done when" of bulk updates: against the sandbox with faults (drop,
// err5xx, rate429, modify), a CLI bulk update of 300 users from a CSV,
// killed with kill -9 while a write is in flight and resumed, ends with
// every value in place, no user written twice, a colleague's concurrent
// change reported as a conflict (never overwritten), and an audit line for
// every write.
func TestBulkUpdateSurvivesKill9AndResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs roster in a child process")
	}
	s := sandbox.New(sandbox.Options{Users: 420, Faults: sandbox.Faults{
		Drop: 0.01, Err5xx: 0.01, Rate429: 0.001, RetryAfter: time.Second, Modify: 0.05, Seed: 15}})
	wl := &writeLog{applied: map[string]int{}, sent: map[string]int{}, holdAt: 100,
		held: make(chan struct{}), release: make(chan struct{})}
	srv := httptest.NewServer(wl.wrap(s.Handler()))
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		select {
		case <-wl.release:
		default:
			close(wl.release)
		}
	})

	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	auditPath := filepath.Join(dir, "audit.jsonl")
	cfg := filepath.Join(dir, "config.toml")
	doc := fmt.Sprintf(`
[providers.sales]
kind = "apideck"
base_url = %q
api_key = %q
app_id = %q
consumer_id = %q
rate_limit = "2000/1s"
max_concurrency = 8

[ssh]
audit_log = %q
`, srv.URL, sandbox.ApideckAPIKey, sandbox.ApideckAppID, sandbox.ApideckConsumerID, auditPath)
	must(t, os.WriteFile(cfg, []byte(doc), 0o600))

	// 300 users Apideck will take writes for (it wants an email on each).
	reader := providertest.Apideck(srv.URL, httpx.NewHTTPClient(httpx.Options{}))
	ctx := context.Background()
	var users []crm.User
	for cursor := ""; len(users) < 300; {
		page, err := reader.List(ctx, crm.PageRequest{Limit: 200, Cursor: cursor})
		must(t, err)
		for _, u := range page.Users {
			if u.Email != "" && len(users) < 300 {
				users = append(users, u)
			}
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if len(users) < 300 {
		t.Fatalf("the sandbox has %d writable users", len(users))
	}
	want := map[string][2]string{}
	var csvText strings.Builder
	csvText.WriteString("id,title,department\n")
	for i, u := range users {
		title, dept := fmt.Sprintf("Bulk title %d", i), fmt.Sprintf("Dept %d", i%7)
		want[u.ID] = [2]string{title, dept}
		fmt.Fprintf(&csvText, "%s,%s,%s\n", u.ID, title, dept)
	}
	csvPath := filepath.Join(dir, "changes.csv")
	must(t, os.WriteFile(csvPath, []byte(csvText.String()), 0o600))

	// Run roster in a child process and kill -9 it once the 100th write is
	// in flight (applied by the sandbox, its answer held back).
	args, _ := json.Marshal([]string{"--config", cfg, "users", "update", "--from", csvPath, "--json"})
	child := exec.Command(os.Args[0])
	child.Env = append(os.Environ(), "ROSTER_TEST_ARGS="+string(args))
	var childErr strings.Builder
	child.Stderr = &childErr
	t0 := time.Now()
	must(t, child.Start())
	exited := make(chan error, 1)
	go func() { exited <- child.Wait() }()
	select {
	case <-wl.held:
	case err := <-exited:
		t.Fatalf("roster ended before its 100th write: %v\n%s", err, childErr.String())
	}
	t.Logf("kill after %s", time.Since(t0))
	must(t, child.Process.Kill())
	<-exited
	close(wl.release)

	runsDir := filepath.Join(dir, "state", "roster", "runs")
	list, err := run.List(runsDir)
	must(t, err)
	if len(list) != 1 || list[0].State != "needs-resume" {
		t.Fatalf("runs after the kill: %+v", list)
	}
	runID := list[0].Run
	st, err := run.ReadJournal(list[0].Path)
	must(t, err)

	// A colleague changes the title of five users the run has not reached.
	colleague := map[string]string{}
	for _, step := range st.Plan.Steps {
		if len(colleague) == 5 {
			break
		}
		if st.Started[step.ID] {
			continue
		}
		title := "Colleague's title for " + step.ID
		for attempt := 0; ; attempt++ {
			u, err := reader.Update(ctx, step.ID, crm.Changes{"title": title})
			if err == nil && u.Title == title {
				break
			}
			if attempt == 20 {
				t.Fatalf("the colleague could not save user %s: %v", step.ID, err)
			}
		}
		colleague[step.ID] = title
	}
	appliedBefore := map[string]int{}
	wl.mu.Lock()
	for id, n := range wl.applied {
		appliedBefore[id] = n
	}
	wl.mu.Unlock()

	t1 := time.Now()
	code, stdout, stderr := execRoster(ctx, "--config", cfg, "runs", "resume", runID, "--json")
	t.Logf("resume took %s", time.Since(t1))
	if code != exitConflict {
		t.Errorf("resume exited %d, want %d (five conflicts)\n%s", code, exitConflict, stderr)
	}
	results := map[string]bulkResult{}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	for sc.Scan() {
		var r bulkResult
		must(t, json.Unmarshal(sc.Bytes(), &r))
		results[r.ID] = r
	}
	if len(results) != 300 {
		t.Fatalf("%d results, want 300:\n%s", len(results), stdout)
	}

	for _, r := range results {
		if r.Status == "unknown" || (r.Status == "failed" && r.Kind != "conflict") {
			t.Logf("%s: %s %s %s", r.ID, r.Status, r.Kind, r.Error)
		}
	}
	for _, u := range users {
		r := results[u.ID]
		got := getEventually(t, reader, u.ID)
		if title, ok := colleague[u.ID]; ok {
			if r.Status != "failed" || r.Kind != "conflict" {
				t.Errorf("%s: status %s (%s), want a conflict", u.ID, r.Status, r.Kind)
			}
			if got.Title != title {
				t.Errorf("%s: title %q: the colleague's %q was overwritten", u.ID, got.Title, title)
			}
			if n := wl.applied[u.ID] - appliedBefore[u.ID]; n != 0 {
				t.Errorf("%s: %d writes after a conflict", u.ID, n)
			}
			continue
		}
		if r.Status != "updated" {
			t.Errorf("%s: status %s %s", u.ID, r.Status, r.Error)
		}
		if w := want[u.ID]; got.Title != w[0] || got.Value("department") != w[1] {
			t.Errorf("%s: title %q, department %v; want %q, %q", u.ID, got.Title, got.Value("department"), w[0], w[1])
		}
		if n := wl.applied[u.ID]; n != 1 {
			t.Errorf("%s: written %d times (%d PATCH requests)", u.ID, n, wl.sent[u.ID])
		}
	}

	// One audit outcome "ok" in this run per applied write.
	okByUser := map[string]int{}
	f, err := os.Open(auditPath)
	must(t, err)
	defer f.Close()
	sc = bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var e struct {
			Run, Action, Result string
			UserID              string `json:"user_id"`
		}
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Run == runID && e.Action == "update" && e.Result == "ok" {
			okByUser[e.UserID]++
		}
	}
	for id, n := range wl.applied {
		if _, theirs := colleague[id]; theirs {
			continue // the colleague's own save, not the run's
		}
		if _, ok := want[id]; ok && okByUser[id] != n {
			t.Errorf("%s: %d writes applied, %d audited as ok in run %s", id, n, okByUser[id], runID)
		}
	}
	t.Logf("PATCH requests %d, applied %d users; held write at #%d; run %s", wl.patches, len(wl.applied), wl.holdAt, runID)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// getEventually reads a user through the sandbox's injected faults.
func getEventually(t *testing.T, p crm.Provider, id string) crm.User {
	t.Helper()
	for attempt := 0; ; attempt++ {
		u, err := p.Get(context.Background(), id)
		if err == nil {
			return u
		}
		if attempt == 20 {
			t.Fatalf("read user %s: %v", id, err)
		}
	}
}
