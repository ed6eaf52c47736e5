package stack

import (
	"context"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/limit"
)

// limited hands the account's limiter to every request the adapter sends:
// the shared HTTP client (crm/httpx) waits on it before each attempt. It
// sits right above the adapter, so a write the guard refuses spends nothing.
type limited struct {
	inner crm.Provider
	lim   limit.Limiter
}

func (l *limited) ctx(ctx context.Context) context.Context { return httpx.WithLimiter(ctx, l.lim) }

// Info is the adapter's, with the abilities it lacks switched off (this
// layer has every method, so the guard's crm.LiveInfo cannot tell).
func (l *limited) Info() crm.Info     { return crm.LiveInfo(l.inner) }
func (l *limited) Schema() crm.Schema { return l.inner.Schema() }

func (l *limited) List(ctx context.Context, req crm.PageRequest) (crm.Page, error) {
	return l.inner.List(l.ctx(ctx), req)
}

func (l *limited) Get(ctx context.Context, id string) (crm.User, error) {
	return l.inner.Get(l.ctx(ctx), id)
}

func (l *limited) Lookup(ctx context.Context, identityType, value string) (crm.User, error) {
	lk, ok := l.inner.(crm.IdentityLookup)
	if !ok {
		return crm.User{}, crm.Unsupported(l.inner.Info().Name, "look up user by "+identityType)
	}
	return lk.Lookup(l.ctx(ctx), identityType, value)
}

func (l *limited) Update(ctx context.Context, id string, changes crm.Changes) (crm.User, error) {
	return l.inner.Update(l.ctx(ctx), id, changes)
}

func (l *limited) Delete(ctx context.Context, id string) error {
	return l.inner.Delete(l.ctx(ctx), id)
}

func (l *limited) Create(ctx context.Context, fields crm.Changes) (crm.User, error) {
	cr, ok := l.inner.(crm.Creator)
	if !ok {
		return crm.User{}, crm.Unsupported(l.inner.Info().Name, "create user")
	}
	return cr.Create(l.ctx(ctx), fields)
}
