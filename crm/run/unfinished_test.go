package run

import (
	"context"
	"errors"
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
	if list, err := Unfinished(dir, plan.Provider); err != nil || len(list) != 0 {
		t.Fatalf("a run going on is offered: %+v, %v", list, err)
	}
	if _, _, err := Resume(ctx, p, j.Path, Options{}); !errors.Is(err, ErrBusy) {
		t.Fatalf("resume of a run going on: %v, want ErrBusy", err)
	}
	must(t, j.Close())

	list, err := Unfinished(dir, plan.Provider)
	must(t, err)
	if len(list) != 1 || list[0].Left() != 1 || list[0].Run != plan.Run {
		t.Fatalf("unfinished after close: %+v", list)
	}
	if want, _ := time.Parse("20060102T150405Z", plan.Run[:16]); !list[0].Started.Equal(want) || want.IsZero() {
		t.Fatalf("started %s, want the time in the id %s", list[0].Started, plan.Run)
	}
	if other, _ := Unfinished(dir, "someone-else"); len(other) != 0 {
		t.Fatalf("another provider's run offered: %+v", other)
	}
	_, res, err := Resume(ctx, p, j.Path, Options{})
	must(t, err)
	if res[0].Outcome != Applied {
		t.Fatalf("resumed: %+v", res[0])
	}
	if list, _ := Unfinished(dir, plan.Provider); len(list) != 0 {
		t.Fatalf("a finished run is still offered: %+v", list)
	}
}
