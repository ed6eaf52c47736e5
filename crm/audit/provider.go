package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/roster-tui/roster/crm"
)

// Provider records every update, delete and create made through the inner
// provider: an intent, synced, before the change is sent, and its outcome
// after. A change whose intent cannot be written is not sent.
//
// Like every decorator in the stack it forwards each method explicitly (no
// embedding): a write method added to crm.Provider must be audited here,
// not pass through unseen.
type Provider struct {
	inner crm.Provider
	log   Sink
	who   Who
}

// Wrap audits changes made through p on behalf of who.
func Wrap(p crm.Provider, log Sink, who Who) *Provider {
	return &Provider{inner: p, log: log, who: who}
}

func (p *Provider) Info() crm.Info     { return p.inner.Info() }
func (p *Provider) Schema() crm.Schema { return p.inner.Schema() }

func (p *Provider) List(ctx context.Context, req crm.PageRequest) (crm.Page, error) {
	return p.inner.List(ctx, req)
}

func (p *Provider) Get(ctx context.Context, id string) (crm.User, error) {
	return p.inner.Get(ctx, id)
}

// Lookup reads, so it is not audited; Unsupported when the inner provider
// has no identities (crm/stack offers it only when it has).
func (p *Provider) Lookup(ctx context.Context, identityType, value string) (crm.User, error) {
	l, ok := p.inner.(crm.IdentityLookup)
	if !ok {
		return crm.User{}, crm.Unsupported(p.inner.Info().Name, "look up user by "+identityType)
	}
	return l.Lookup(ctx, identityType, value)
}

// Create records the fields asked for as an intent, synced, before sending,
// and the outcome after; Unsupported when the inner provider cannot create.
func (p *Provider) Create(ctx context.Context, fields crm.Changes) (crm.User, error) {
	c, ok := p.inner.(crm.Creator)
	if !ok {
		return crm.User{}, crm.Unsupported(p.inner.Info().Name, "create user")
	}
	intent := p.entry(ctx, "", "create")
	intent.After = map[string]any(fields)
	if err := p.log.Append(&intent); err != nil {
		return crm.User{}, fmt.Errorf("not sent: the audit log failed: %w", err)
	}
	u, err := c.Create(ctx, fields)
	out := p.outcome(intent, err)
	if u.ID != "" {
		out.UserID, out.UserName = u.ID, u.DisplayName()
	}
	if aerr := p.log.Append(&out); aerr != nil {
		if err != nil {
			return u, fmt.Errorf("%w (and the audit log failed: %v)", err, aerr)
		}
		return u, fmt.Errorf("the user was created but the audit log failed: %w", aerr)
	}
	return u, err
}

type runKey struct{}

// WithRun tags the entries of changes made with ctx with a run id.
func WithRun(ctx context.Context, run string) context.Context {
	return context.WithValue(ctx, runKey{}, run)
}

// before is the user as it was before a write: the read the conflict check
// made (crm.WithBase), or else a read of its own.
func (p *Provider) before(ctx context.Context, id string) (crm.User, error) {
	if u, ok := crm.BaseFrom(ctx, id); ok {
		return u, nil
	}
	return p.inner.Get(ctx, id)
}

func runOf(ctx context.Context) string {
	s, _ := ctx.Value(runKey{}).(string)
	return s
}

// Update records the fields before and the values sent; when the provider
// answers with other values than those sent, the answer goes in Reread.
func (p *Provider) Update(ctx context.Context, id string, changes crm.Changes) (crm.User, error) {
	intent := p.entry(ctx, id, "update")
	if before, err := p.before(ctx, id); err == nil {
		intent.Before = pick(before, changes)
		intent.UserName = before.DisplayName()
	}
	intent.After = map[string]any(changes)
	if err := p.log.Append(&intent); err != nil {
		return crm.User{}, fmt.Errorf("not sent: the audit log failed: %w", err)
	}
	u, err := p.inner.Update(ctx, id, changes)
	out := p.outcome(intent, err)
	switch {
	case err == nil:
		// Field.Equal decides, as for "no change": an emptied field the
		// provider answers as "" instead of null was read back as sent.
		if len(crm.DropUnchanged(p.inner.Schema(), u, changes)) > 0 {
			out.Reread = pick(u, changes)
		}
	case crm.IsUnknownOutcome(err):
		if now, gerr := p.inner.Get(ctx, id); gerr == nil {
			out.Reread = pick(now, changes)
		}
	}
	if aerr := p.log.Append(&out); aerr != nil {
		if err != nil {
			return u, fmt.Errorf("%w (and the audit log failed: %v)", err, aerr)
		}
		return u, fmt.Errorf("the change was saved but the audit log failed: %w", aerr)
	}
	return u, err
}

// Delete records the whole user as it was; a failed delete is recorded as
// failed, one whose outcome is unknown as unknown.
func (p *Provider) Delete(ctx context.Context, id string) error {
	intent := p.entry(ctx, id, "delete")
	if before, err := p.inner.Get(ctx, id); err == nil {
		intent.Before = before.Fields()
		intent.UserName = before.DisplayName()
	}
	if err := p.log.Append(&intent); err != nil {
		return fmt.Errorf("not sent: the audit log failed: %w", err)
	}
	err := p.inner.Delete(ctx, id)
	out := p.outcome(intent, err)
	if aerr := p.log.Append(&out); aerr != nil {
		if err != nil {
			return fmt.Errorf("%w (and the audit log failed: %v)", err, aerr)
		}
		return fmt.Errorf("the user was deleted but the audit log failed: %w", aerr)
	}
	return err
}

func (p *Provider) entry(ctx context.Context, id, action string) Entry {
	return Entry{Who: p.who, Run: runOf(ctx), Provider: p.inner.Info().Name, UserID: id,
		Action: action, Result: ResultIntent}
}

// outcome is the entry that settles intent after the provider answered err.
func (p *Provider) outcome(intent Entry, err error) Entry {
	out := intent
	out.ID, out.Time, out.Intent = "", time.Time{}, intent.ID
	switch {
	case err == nil:
		out.Result = ResultOK
	case crm.IsUnknownOutcome(err):
		out.Result, out.Error = ResultUnknown, err.Error()
	default:
		out.Result, out.Error = ResultError, err.Error()
	}
	return out
}

// pick returns the values of the changed keys as the user holds them.
func pick(u crm.User, changes crm.Changes) map[string]any {
	out := make(map[string]any, len(changes))
	for _, k := range changes.Keys() {
		out[k] = u.Value(k)
	}
	return out
}
