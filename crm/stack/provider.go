package stack

import (
	"context"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/limit"
	"github.com/roster-tui/roster/crm/pagecache"
)

// stacked is what Build returns for an adapter with no optional abilities;
// the other three types add the methods of the abilities the adapter has.
type stacked struct {
	top    *pagecache.Provider
	layers []string // innermost first, for Layers
	limits limit.Settings
}

// Limits are the account limiter's settings (limit.Reporter): a bulk run's
// ETA starts from them.
func (s *stacked) Limits() limit.Settings { return s.limits }

func (s *stacked) Info() crm.Info     { return s.top.Info() }
func (s *stacked) Schema() crm.Schema { return s.top.Schema() }
func (s *stacked) Invalidate()        { s.top.Invalidate() }

func (s *stacked) List(ctx context.Context, req crm.PageRequest) (crm.Page, error) {
	return s.top.List(ctx, req)
}

func (s *stacked) Get(ctx context.Context, id string) (crm.User, error) {
	return s.top.Get(ctx, id)
}

func (s *stacked) Update(ctx context.Context, id string, changes crm.Changes) (crm.User, error) {
	return s.top.Update(ctx, id, changes)
}

func (s *stacked) Delete(ctx context.Context, id string) error {
	return s.top.Delete(ctx, id)
}

// lookupStack: the adapter is a crm.IdentityLookup.
type lookupStack struct{ *stacked }

func (s lookupStack) Lookup(ctx context.Context, identityType, value string) (crm.User, error) {
	return s.top.Lookup(ctx, identityType, value)
}

// createStack: the adapter is a crm.Creator.
type createStack struct{ *stacked }

func (s createStack) Create(ctx context.Context, fields crm.Changes) (crm.User, error) {
	return s.top.Create(ctx, fields)
}

// lookupCreateStack: the adapter is both.
type lookupCreateStack struct{ *stacked }

func (s lookupCreateStack) Lookup(ctx context.Context, identityType, value string) (crm.User, error) {
	return s.top.Lookup(ctx, identityType, value)
}

func (s lookupCreateStack) Create(ctx context.Context, fields crm.Changes) (crm.User, error) {
	return s.top.Create(ctx, fields)
}

var (
	_ crm.Invalidator    = (*stacked)(nil)
	_ crm.IdentityLookup = lookupStack{}
	_ crm.Creator        = createStack{}
	_ crm.IdentityLookup = lookupCreateStack{}
	_ crm.Creator        = lookupCreateStack{}
)
