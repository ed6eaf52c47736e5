package run

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
)

// Result is one user's outcome.
type Result struct {
	ID      string   `json:"id"`
	Outcome Outcome  `json:"outcome"`
	Changes []Change `json:"changes,omitempty"`
	Err     error    `json:"-"`
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
// the user first. Cancelling ctx starts nothing new; writes already sent
// stand and are reported.
func Execute(ctx context.Context, p crm.Provider, j *Journal, plan Plan, st *State, o Options) ([]Result, error) {
	if st == nil {
		if err := j.Write(Record{Type: "plan", Plan: &plan}); err != nil {
			return nil, err
		}
		st = &State{Started: map[string]bool{}, Done: map[string]Outcome{}}
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
	for i, s := range plan.Steps {
		if out, ok := st.Done[s.ID]; ok && out != Unknown {
			results[i] = Result{ID: s.ID, Outcome: out, Changes: s.Changes}
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			results[i] = Result{ID: s.ID, Outcome: NotApplied, Changes: s.Changes, Err: ctx.Err()}
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			r, err := step(ctx, p, j, plan.Op, s, st.Started[s.ID])
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

// step writes one user: re-read, compare with the plan's old values, send
// only what still differs, and journal around the write.
func step(ctx context.Context, p crm.Provider, j *Journal, op Op, s Step, resumed bool) (Result, error) {
	res := Result{ID: s.ID, Changes: s.Changes}
	// A write started before a crash and now shown by the re-read was
	// applied then; it is reported applied and not sent again.
	settled := Unchanged
	if resumed {
		settled = Applied
	}
	current, err := p.Get(ctx, s.ID)
	if op == OpDelete {
		if crm.KindOf(err) == crm.KindNotFound {
			res.Outcome = settled
			return res, j.Write(Record{Type: "done", ID: s.ID, Outcome: settled})
		}
	}
	if err != nil {
		res.Outcome, res.Err = NotApplied, err
		return res, j.Write(Record{Type: "done", ID: s.ID, Outcome: NotApplied, Error: err.Error()})
	}
	send := crm.Changes{}
	if op == OpUpdate {
		conflict := &crm.ConflictError{ID: s.ID, Current: current}
		for _, c := range s.Changes {
			now := current.Value(c.Key)
			switch {
			case Same(now, c.New):
			case Same(now, c.Old):
				send[c.Key] = c.New
			default:
				conflict.Fields = append(conflict.Fields, crm.FieldConflict{Key: c.Key, Original: c.Old, Yours: c.New, Theirs: now})
			}
		}
		if len(conflict.Fields) > 0 {
			res.Outcome, res.Err = NotApplied, conflict
			return res, j.Write(Record{Type: "done", ID: s.ID, Outcome: NotApplied, Error: conflict.Error()})
		}
		if len(send) == 0 {
			res.Outcome = settled
			return res, j.Write(Record{Type: "done", ID: s.ID, Outcome: settled})
		}
	}
	if err := j.Write(Record{Type: "start", ID: s.ID}); err != nil {
		res.Outcome, res.Err = NotApplied, err
		return res, err
	}
	// The write itself is not cancelled with the run: once sent it stands.
	wctx := context.WithoutCancel(ctx)
	if op == OpDelete {
		err = p.Delete(wctx, s.ID)
	} else {
		_, err = p.Update(crm.WithBase(wctx, current), s.ID, send)
	}
	switch {
	case err == nil:
		res.Outcome = Applied
	case crm.IsUnknownOutcome(err) || (crm.MaybeApplied(err) && !errors.Is(err, crm.ErrConflict)):
		res.Outcome, res.Err = Unknown, err
	default:
		res.Outcome, res.Err = NotApplied, err
	}
	rec := Record{Type: "done", ID: s.ID, Outcome: res.Outcome}
	if res.Err != nil {
		rec.Error = res.Err.Error()
	}
	return res, j.Write(rec)
}

// Resume continues the run journaled at path.
func Resume(ctx context.Context, p crm.Provider, path string, o Options) (Plan, []Result, error) {
	st, err := ReadJournal(path)
	if err != nil {
		return Plan{}, nil, err
	}
	dir, run := splitPath(path)
	j, err := OpenJournal(dir, run)
	if err != nil {
		return st.Plan, nil, err
	}
	defer j.Close()
	res, err := Execute(ctx, p, j, st.Plan, &st, o)
	return st.Plan, res, err
}

func splitPath(path string) (dir, run string) {
	return filepath.Dir(path), strings.TrimSuffix(filepath.Base(path), ".jsonl")
}
