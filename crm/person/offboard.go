package person

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
)

// Offboard carries out plan: every step that writes, concurrently, each in
// its own provider (found among providers by name), and returns one Result
// per step in plan order. Steps with nothing to do end NotFound, Failed
// (the provider could not be searched) or Skipped (an account left as it
// is; Why says why). Each write is conflict-checked against the user as
// found and audited with plan.Run as its run id. Cancelling ctx starts
// nothing new; a write already sent is not cancelled with it.
func Offboard(ctx context.Context, providers []crm.Provider, plan Plan, progress Progress) []Result {
	ctx = audit.WithRun(ctx, plan.Run)
	results := make([]Result, len(plan.Steps))
	var wg sync.WaitGroup
	for i, s := range plan.Steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			progress.start(s)
			r := offboardOne(ctx, providers, s)
			results[i] = r
			progress.end(r)
		}()
	}
	wg.Wait()
	return results
}

// offboardOne runs one step.
func offboardOne(ctx context.Context, providers []crm.Provider, s Step) Result {
	if s.Action == None {
		return nothingToDo(s)
	}
	p, ok := providerNamed(providers, s.Provider)
	if !ok {
		return Result{Step: s, Outcome: Failed, Err: fmt.Errorf("no provider %q", s.Provider)}
	}
	if err := ctx.Err(); err != nil {
		return Result{Step: s, Outcome: Failed, Err: fmt.Errorf("not sent: %w", err)}
	}
	switch s.Action {
	case Deactivate:
		return deactivate(ctx, p, s)
	case Delete:
		return remove(ctx, p, s)
	}
	return Result{Step: s, Outcome: Failed, Err: fmt.Errorf("offboard: action %q", s.Action)}
}

// nothingToDo is the result of a step with no action: not found, a
// provider that could not be searched (failed: the person may be there),
// or an account left as it is (skipped, with why).
func nothingToDo(s Step) Result {
	switch {
	case s.User.ID != "":
		return Result{Step: s, Outcome: Skipped, Err: s.Err}
	case s.Err != nil:
		return Result{Step: s, Outcome: Failed, Err: s.Err}
	}
	return Result{Step: s, Outcome: NotFound}
}

// deactivate sends the step's changes only if the user is as found and
// something still differs.
func deactivate(ctx context.Context, p crm.Provider, s Step) Result {
	current, err := p.Get(ctx, s.User.ID)
	if err != nil {
		return readFailed(s, err)
	}
	if inactive(p, current, s.Changes) {
		return Result{Step: s, Outcome: Unchanged, User: current}
	}
	send := crm.DropUnchanged(p.Schema(), current, s.Changes)
	if c := changedSince(s.User, current); c != nil {
		return Result{Step: s, Outcome: Failed, User: current, Err: c}
	}
	// The write is not cancelled with the run once it is sent: it stands.
	// The read goes along (WithBase) so adapter and audit need not read again.
	u, err := p.Update(crm.WithBase(context.WithoutCancel(ctx), current), s.User.ID, send)
	return written(s, u, err)
}

// remove deletes the user if it is as found: gone already is NotFound, a
// user changed since (another version) is a conflict and nothing is sent.
func remove(ctx context.Context, p crm.Provider, s Step) Result {
	current, err := p.Get(ctx, s.User.ID)
	if err != nil {
		return readFailed(s, err)
	}
	if c := changedSince(s.User, current); c != nil {
		return Result{Step: s, Outcome: Failed, User: current, Err: c}
	}
	err = p.Delete(context.WithoutCancel(ctx), s.User.ID)
	return written(s, crm.User{}, err)
}

// changedSince is the conflict when the user changed (another version)
// between the find and the write: nothing is sent, as in any conflict.
func changedSince(found, current crm.User) error {
	if found.UpdatedAt == current.UpdatedAt {
		return nil
	}
	return &crm.ConflictError{ID: found.ID, Current: current,
		OriginalVersion: found.UpdatedAt, CurrentVersion: current.UpdatedAt}
}

// readFailed is the result of a step whose re-read before writing failed:
// nothing was sent.
func readFailed(s Step, err error) Result {
	if errors.Is(err, crm.ErrNotFound) {
		return Result{Step: s, Outcome: NotFound, Err: err}
	}
	return Result{Step: s, Outcome: Failed, Err: fmt.Errorf("not sent: re-reading the user failed: %w", err)}
}

// written classifies a write's answer into the three outcomes. The
// adapter has already settled an answer that was not the documented one
// (crm.SettleCreate, SettleUpdate, SettleDelete): what it could not settle
// is KindUnknownOutcome; anything else, a "not applied" among them, changed
// nothing — even when it is of a transient kind that crm.MaybeApplied would
// call open before settling.
func written(s Step, u crm.User, err error) Result {
	switch {
	case err == nil:
		return Result{Step: s, Outcome: Done, User: u}
	case crm.IsUnknownOutcome(err):
		return Result{Step: s, Outcome: Unknown, User: u, Err: err}
	}
	return Result{Step: s, Outcome: Failed, User: u, Err: err}
}
