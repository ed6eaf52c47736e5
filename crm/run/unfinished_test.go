package run

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
)

// A run whose journal another open journal holds is "running": not
// offered for resume, and a resume is refused instead of sending its
// writes a second time. Closing the journal (or the process ending) frees it.
func TestARunGoingOnIsNotResumed(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 10})
	p := providertest.Apideck(url, nil)
	ctx := context.Background()
	u := firstUsers(t, p, 1)[0]
	plan, err := MakePlan(ctx, p, OpUpdate, []Item{{ID: u.ID, Set: crm.Changes{"title": "Held"}}})
	must(t, err)
	dir := t.TempDir()
	j, err := OpenJournal(dir, plan.Run)
	must(t, err)
	must(t, j.Write(Record{Type: "plan", Plan: &plan}))

	if got := Summarize(j.Path).State; got != "running" {
		t.Fatalf("state while the journal is open: %q, want running", got)
	}
	if list, err := Unfinished(dir, plan.Provider, false); err != nil || len(list) != 0 {
		t.Fatalf("a run going on is offered: %+v, %v", list, err)
	}
	if _, _, err := Resume(ctx, p, j.Path, Options{}); !errors.Is(err, ErrBusy) {
		t.Fatalf("resume of a run going on: %v, want ErrBusy", err)
	}
	must(t, j.Close())

	list, err := Unfinished(dir, plan.Provider, false)
	must(t, err)
	if len(list) != 1 || list[0].Left() != 1 || list[0].Run != plan.Run {
		t.Fatalf("unfinished after close: %+v", list)
	}
	if want, _ := time.Parse("20060102T150405Z", plan.Run[:16]); !list[0].Started.Equal(want) || want.IsZero() {
		t.Fatalf("started %s, want the time in the id %s", list[0].Started, plan.Run)
	}
	if other, _ := Unfinished(dir, "someone-else", false); len(other) != 0 {
		t.Fatalf("another provider's run offered: %+v", other)
	}
	_, res, err := Resume(ctx, p, j.Path, Options{})
	must(t, err)
	if res[0].Outcome != Applied {
		t.Fatalf("resumed: %+v", res[0])
	}
	if list, _ := Unfinished(dir, plan.Provider, false); len(list) != 0 {
		t.Fatalf("a finished run is still offered: %+v", list)
	}
}

// cancelOnRead cancels the run as the first read after arm arrives and
// holds that read until the cancel reaches it.
type cancelOnRead struct {
	armed  atomic.Bool
	cancel context.CancelFunc
}

func (c *cancelOnRead) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet && c.armed.CompareAndSwap(true, false) {
		c.cancel()
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	return http.DefaultTransport.RoundTrip(r)
}

// A run cancelled while it reads a user (before anything is sent for it)
// leaves that user pending in the journal, not "not applied": a resume
// still writes it. (It was journaled as a failure, which no resume retried.)
func TestAUserCancelledDuringItsReadStaysPending(t *testing.T) {
	_, url := providertest.StartSandbox(t, sandbox.Options{Users: 10})
	ctx, cancel := context.WithCancel(context.Background())
	gate := &cancelOnRead{cancel: cancel}
	p := providertest.Apideck(url, &http.Client{Transport: gate, Timeout: 10 * time.Second})
	u := firstUsers(t, p, 1)[0]
	plan, err := MakePlan(context.Background(), p, OpUpdate, []Item{{ID: u.ID, Set: crm.Changes{"title": "After cancel"}}})
	must(t, err)
	j, err := OpenJournal(t.TempDir(), plan.Run)
	must(t, err)
	gate.armed.Store(true)
	res, err := Execute(ctx, p, j, plan, nil, Options{})
	must(t, err)
	must(t, j.Close())
	if res[0].Outcome != Skipped || !errors.Is(res[0].Err, context.Canceled) {
		t.Fatalf("cancelled during its read: %s %v, want skipped", res[0].Outcome, res[0].Err)
	}
	if s := Summarize(j.Path); s.Pending != 1 || s.Failed != 0 || s.State != "needs-resume" {
		t.Fatalf("journal after the cancel: %+v", s)
	}
	_, res, err = Resume(context.Background(), p, j.Path, Options{})
	must(t, err)
	if res[0].Outcome != Applied {
		t.Fatalf("resumed: %s %v", res[0].Outcome, res[0].Err)
	}
}
