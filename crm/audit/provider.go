package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/roster-tui/roster/crm"
)

// Provider records every update and delete made through the inner provider.
type Provider struct {
	crm.Provider
	log *Log
	who Who
}

// Wrap audits changes made through p on behalf of who.
func Wrap(p crm.Provider, log *Log, who Who) *Provider {
	return &Provider{Provider: p, log: log, who: who}
}

// Update reads the user first so the entry holds the fields before and after,
// and returns only once the entry is on disk.
func (p *Provider) Update(ctx context.Context, id string, changes crm.Changes) (crm.User, error) {
	entry := p.entry(id, "update")
	if before, err := p.Provider.Get(ctx, id); err == nil {
		entry.Before = pick(before, changes)
		entry.UserName = before.DisplayName()
	}
	u, err := p.Provider.Update(ctx, id, changes)
	if err != nil {
		entry.Result, entry.Error = "error", err.Error()
		entry.After = map[string]any(changes)
		if aerr := p.log.Append(entry); aerr != nil {
			return u, fmt.Errorf("%w (and the audit log failed: %v)", err, aerr)
		}
		return u, err
	}
	entry.After = pick(u, changes)
	if aerr := p.log.Append(entry); aerr != nil {
		return u, fmt.Errorf("the change was saved but the audit log failed: %w", aerr)
	}
	return u, nil
}

// Delete records the whole user as it was.
func (p *Provider) Delete(ctx context.Context, id string) error {
	entry := p.entry(id, "delete")
	if before, err := p.Provider.Get(ctx, id); err == nil {
		entry.Before = before.Fields()
		entry.UserName = before.DisplayName()
	}
	err := p.Provider.Delete(ctx, id)
	if err != nil {
		entry.Result, entry.Error = "error", err.Error()
	}
	if aerr := p.log.Append(entry); aerr != nil {
		if err != nil {
			return fmt.Errorf("%w (and the audit log failed: %v)", err, aerr)
		}
		return fmt.Errorf("the user was deleted but the audit log failed: %w", aerr)
	}
	return err
}

func (p *Provider) entry(id, action string) Entry {
	return Entry{Time: time.Now().UTC(), Who: p.who, Provider: p.Provider.Info().Name, UserID: id, Action: action, Result: "ok"}
}

// pick returns the values of the changed keys as the user holds them.
func pick(u crm.User, changes crm.Changes) map[string]any {
	out := make(map[string]any, len(changes))
	for _, k := range changes.Keys() {
		out[k] = u.Value(k)
	}
	return out
}
