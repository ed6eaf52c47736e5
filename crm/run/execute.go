package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
)

// Result is one user's outcome.
type Result struct {
	ID      string   `json:"id"`
	Outcome Outcome  `json:"outcome"`
	Changes []Change `json:"changes,omitempty"`
	Err     error    `json:"-"`
	// Earlier: the journal settled this user before this execution (a
	// resumed run); nothing was sent for it now.
	Earlier bool `json:"-"`
}

// Options tune Execute.
type Options struct {
	// Concurrency bounds writes in flight; 0 means Concurrency(p).
	Concurrency int
	// Progress, when set, is called (from worker goroutines) with each result.
	Progress func(Result)
}

// Execute carries out plan, journaling each write, and returns one result
// per step. Steps the journal in st already settled are not sent again; a
// step started but not settled (a crash mid-write) is re-checked by reading
// the user first, and so is one whose write was refused for a passing
// reason (a 5xx or a 429 the provider's answer or a re-read proved not
// applied). Cancelling ctx starts nothing new; writes already sent stand and
// are reported.
func Execute(ctx context.Context, p crm.Provider, j *Journal, plan Plan, st *State, o Options) ([]Result, error) {
	if st == nil {
		if err := j.Write(Record{Type: "plan", Plan: &plan}); err != nil {
			return nil, err
		}
		st = &State{Started: map[string]bool{}, Done: map[string]Outcome{}, Retry: map[string]bool{}}
	}
	n := o.Concurrency
	if n <= 0 {
		n = Concurrency(p)
	}
	ctx = audit.WithRun(ctx, plan.Run)
	results := make([]Result, len(plan.Steps))
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	var jerr error
	var mu sync.Mutex
	schema := p.Schema()
	for i, s := range plan.Steps {
		if out, ok := st.Settled(s.ID); ok {
			results[i] = Result{ID: s.ID, Outcome: out, Changes: s.Changes, Earlier: true}
			if msg := st.Errors[s.ID]; msg != "" {
				results[i].Err = journaledError(msg, st.Kinds[s.ID])
			}
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			results[i] = Result{ID: s.ID, Outcome: Skipped, Changes: s.Changes, Err: ctx.Err()}
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			r, err := stepWithRetries(ctx, p, schema, j, plan.Op, s, st.Started[s.ID])
			if err != nil {
				mu.Lock()
				jerr = err
				mu.Unlock()
			}
			results[i] = r
			if o.Progress != nil {
				o.Progress(r)
			}
		}()
	}
	wg.Wait()
	return results, jerr
}

// attempts bounds how often one user's write is tried in one run when the
// provider refused it for a passing reason (and proved it not applied).
const attempts = 3

// stepWithRetries runs step again, from its re-read, while the write was
// not applied for a passing reason: a 5xx, a dropped connection a re-read
// showed had changed nothing, or a 429 (the limiter has learned its reset
// by then, so the next try waits for it).
func stepWithRetries(ctx context.Context, p crm.Provider, schema crm.Schema, j *Journal, op Op, s Step, resumed bool) (Result, error) {
	for attempt := 1; ; attempt++ {
		res, retry, err := step(ctx, p, schema, j, op, s, resumed)
		if err != nil || !retry || attempt == attempts || ctx.Err() != nil {
			return res, err
		}
		if crm.KindOf(res.Err) != crm.KindRateLimited && pause(ctx, attempt) != nil {
			return res, nil
		}
		// A write that was started and shown not applied is no longer in
		// doubt: the next try re-reads as a fresh one would.
		resumed = false
	}
}

// pause waits a little longer after each failed attempt (the limiter
// already holds back requests after a 429).
func pause(ctx context.Context, attempt int) error {
	t := time.NewTimer(time.Duration(attempt) * 250 * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// passing reports whether a write refused with err may succeed if sent
// again later: it was not applied, and the reason is the provider's
// momentary state, not the change.
func passing(err error) bool {
	if err == nil || errors.Is(err, crm.ErrConflict) {
		return false
	}
	switch crm.KindOf(err) {
	case crm.KindTransient, crm.KindRateLimited:
		return true
	}
	return false
}

// step writes one user: re-read, compare with the plan's old values, send
// only what still differs, and journal around the write. retry says the
// write was not applied for a passing reason.
func step(ctx context.Context, p crm.Provider, schema crm.Schema, j *Journal, op Op, s Step, resumed bool) (res Result, retry bool, err error) {
	res = Result{ID: s.ID, Changes: s.Changes}
	done := func(out Outcome, cause error) (Result, bool, error) {
		res.Outcome, res.Err = out, cause
		rec := Record{Type: "done", ID: s.ID, Outcome: out}
		if cause != nil {
			rec.Error = cause.Error()
			rec.Kind = crm.KindOf(cause).String()
		}
		rec.Retry = out == NotApplied && passing(cause)
		return res, rec.Retry, j.Write(rec)
	}
	// A write started before a crash and now shown by the re-read was
	// applied then; it is reported applied and not sent again.
	settled := Unchanged
	if resumed {
		settled = Applied
	}
	current, err := p.Get(ctx, s.ID)
	if op == OpDelete && crm.KindOf(err) == crm.KindNotFound {
		return done(settled, nil)
	}
	if err != nil && ctx.Err() != nil {
		// The run was cancelled during the read: nothing was sent, and the
		// journal leaves the user pending, so a resume still does it.
		res.Outcome, res.Err = Skipped, ctx.Err()
		return res, false, nil
	}
	if err != nil {
		return done(NotApplied, err)
	}
	send := crm.Changes{}
	if op == OpUpdate {
		conflict := &crm.ConflictError{ID: s.ID, Current: current}
		for _, c := range s.Changes {
			now := valueFor(current, c.Key, c.New)
			switch {
			case Same(schema, c.Key, now, c.New):
			case Same(schema, c.Key, now, c.Old):
				send[c.Key] = c.New
			default:
				conflict.Fields = append(conflict.Fields, crm.FieldConflict{Key: c.Key, Original: c.Old, Yours: c.New, Theirs: now})
			}
		}
		if len(conflict.Fields) > 0 {
			return done(NotApplied, conflict)
		}
		if len(send) == 0 {
			return done(settled, nil)
		}
	}
	if err := j.Write(Record{Type: "start", ID: s.ID}); err != nil {
		res.Outcome, res.Err = NotApplied, err
		return res, false, err
	}
	// The write itself is not cancelled with the run: once sent it stands.
	wctx := context.WithoutCancel(ctx)
	if op == OpDelete {
		err = p.Delete(wctx, s.ID)
	} else {
		_, err = p.Update(crm.WithBase(wctx, current), s.ID, send)
	}
	// The adapter has settled an open outcome by reading (crm.SettleUpdate,
	// crm.SettleDelete): an error is "not applied" unless it says unknown.
	switch {
	case err == nil:
		return done(Applied, nil)
	case crm.IsUnknownOutcome(err):
		return done(Unknown, err)
	}
	return done(NotApplied, err)
}

// Resume continues the run journaled at path. It holds the journal
// before reading it, so a run still going elsewhere is refused (ErrBusy)
// instead of being sent twice.
func Resume(ctx context.Context, p crm.Provider, path string, o Options) (Plan, []Result, error) {
	dir, run := splitPath(path)
	if _, err := os.Stat(path); err != nil {
		return Plan{Run: run}, nil, fmt.Errorf("journal: %w", err)
	}
	j, err := OpenJournal(dir, run)
	if err != nil {
		return Plan{Run: run}, nil, err
	}
	defer j.Close()
	st, err := ReadJournal(path)
	if err != nil {
		return Plan{Run: run}, nil, err
	}
	res, err := Execute(ctx, p, j, st.Plan, &st, o)
	return st.Plan, res, err
}

func splitPath(path string) (dir, run string) {
	return filepath.Dir(path), strings.TrimSuffix(filepath.Base(path), ".jsonl")
}
