package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/sandbox"
)

// A process killed during an audit write leaves a torn last line: the next
// `roster audit` shows every complete entry and names the torn one, and
// the next change is recorded after it, readable.
func TestAuditReadsEveryCompleteEntryAfterATornWrite(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 20}, "")
	for _, title := range []string{"One", "Two", "Three"} {
		c.mustRun("users", "update", "10001", "--set", "title="+title)
	}
	f, err := os.OpenFile(c.auditLog, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	// What kill -9 in the middle of write(2) leaves: half an intent.
	if _, err := f.WriteString(`{"id":"torn","time":"2026-12-02T09:00:00Z","who":{"name":"ro`); err != nil {
		t.Fatal(err)
	}
	f.Close()

	changes := func() []audit.Entry {
		t.Helper()
		out, stderr, err := c.run("audit", "--json", "--action", "update")
		if err != nil {
			t.Fatalf("roster audit: %v (%s)", err, stderr)
		}
		if !strings.Contains(stderr, "audit.jsonl:7 skipped") {
			t.Errorf("the torn line is not reported: %q", stderr)
		}
		var entries []audit.Entry
		if err := json.Unmarshal([]byte(out), &entries); err != nil {
			t.Fatal(err)
		}
		return entries
	}
	if got := changes(); len(got) != 3 || got[2].After["title"] != "Three" || got[2].Result != audit.ResultOK {
		t.Fatalf("after the torn write: %+v", got)
	}
	c.mustRun("users", "update", "10001", "--set", "title=Four")
	if got := changes(); len(got) != 4 || got[3].After["title"] != "Four" {
		t.Fatalf("the change after the torn line: %+v", got)
	}
	if out, _, err := c.run("audit", "--json", "--since", "2000-01-01", "--until", "2001-01-01"); err != nil || strings.TrimSpace(out) != "[]" {
		t.Errorf("--since/--until outside every change: %q, %v", out, err)
	}
}

// A change made while `roster audit --follow` runs over an empty trail
// shows as it goes: its intent as an intent, not as "outcome unknown
// (process ended)" — the process writing it is alive and its outcome
// follows (seen with two `roster serve` instances on PostgreSQL, where
// each entry is its own notification).
func TestAuditFollowShowsALiveIntentAsAnIntent(t *testing.T) {
	c := newCLI(t, sandbox.Options{Users: 5}, "")
	log, err := audit.Open(c.auditLog)
	if err != nil {
		t.Fatal(err)
	}
	other := audit.Entry{Who: audit.Who{Name: "ben", Via: "cli"}, Provider: "sales", UserID: "10002",
		Action: "update", Result: audit.ResultOK}
	if err := log.Append(&other); err != nil {
		t.Fatal(err)
	}
	// A damaged line, which the follower reports on stderr when it has
	// read the trail: the moment to make the change (its --user trail is
	// empty).
	f, err := os.OpenFile(c.auditLog, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"id":"torn","time":"2026-12-02T09:00:00Z","who":{"name":"ro` + "\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := pipeLines(t), pipeLines(t)
	root := newRootCmd()
	root.SetArgs([]string{"--config", c.config, "audit", "--follow", "--user", "10001"})
	root.SetOut(stdout.w)
	root.SetErr(stderr.w)
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx); stdout.w.Close(); stderr.w.Close() }()
	stderr.next(t, "skipped")

	intent := audit.Entry{Who: audit.Who{Name: "ana", Via: "ssh"}, Provider: "sales", UserID: "10001",
		Action: "update", After: map[string]any{"title": "Live"}, Result: audit.ResultIntent}
	if err := log.Append(&intent); err != nil {
		t.Fatal(err)
	}
	intentLine := stdout.next(t, "10001")
	if strings.Contains(intentLine, audit.ProcessEnded) || !strings.Contains(intentLine, "intent") {
		t.Errorf("the live intent shows as %q", intentLine)
	}
	outcome := intent
	outcome.ID, outcome.Intent, outcome.Result = "", intent.ID, audit.ResultOK
	if err := log.Append(&outcome); err != nil {
		t.Fatal(err)
	}
	outcomeLine := stdout.next(t, "10001")
	if !strings.Contains(outcomeLine, " ok ") {
		t.Errorf("the outcome shows as %q", outcomeLine)
	}
	// Each arrives as its own batch; the outcome's changes still line up
	// under the intent's ("intent" is wider than "ok").
	if a, b := strings.Index(intentLine, "title:"), strings.Index(outcomeLine, "title:"); a != b {
		t.Errorf("the follower's rows do not line up (changes at column %d, then %d):\n%s\n%s", a, b, intentLine, outcomeLine)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// lineReader delivers the lines written to w.
type lineReader struct {
	w     *io.PipeWriter
	lines chan string
}

func pipeLines(t *testing.T) *lineReader {
	pr, pw := io.Pipe()
	r := &lineReader{w: pw, lines: make(chan string)}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			r.lines <- sc.Text()
		}
		close(r.lines)
	}()
	t.Cleanup(func() { pr.Close() })
	return r
}

// next returns the next line holding want, skipping others.
func (r *lineReader) next(t *testing.T, want string) string {
	t.Helper()
	deadline := time.After(20 * time.Second) // a failure bound, not a wait
	for {
		select {
		case l, ok := <-r.lines:
			if !ok {
				t.Fatalf("output ended before a line with %q", want)
			}
			if strings.Contains(l, want) {
				return l
			}
		case <-deadline:
			t.Fatalf("no line with %q", want)
		}
	}
}
