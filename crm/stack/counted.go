package stack

import (
	"context"

	"github.com/roster-tui/roster/crm"
)

// counted registers every write with Options.Writes while it runs, so a
// server's shutdown lets it finish (provider call and audit entry both), and
// refuses writes once the server is shutting down.
type counted struct {
	inner  crm.Provider
	writes Writes
}

func (c *counted) Info() crm.Info     { return c.inner.Info() }
func (c *counted) Schema() crm.Schema { return c.inner.Schema() }

func (c *counted) List(ctx context.Context, req crm.PageRequest) (crm.Page, error) {
	return c.inner.List(ctx, req)
}

func (c *counted) Get(ctx context.Context, id string) (crm.User, error) {
	return c.inner.Get(ctx, id)
}

func (c *counted) Lookup(ctx context.Context, identityType, value string) (crm.User, error) {
	l, ok := c.inner.(crm.IdentityLookup)
	if !ok {
		return crm.User{}, crm.Unsupported(c.inner.Info().Name, "look up user by "+identityType)
	}
	return l.Lookup(ctx, identityType, value)
}

func (c *counted) Update(ctx context.Context, id string, changes crm.Changes) (crm.User, error) {
	op := "update user " + id
	if !c.writes.Begin() {
		return crm.User{}, c.refuse(op)
	}
	defer c.writes.End()
	return c.inner.Update(ctx, id, changes)
}

func (c *counted) Delete(ctx context.Context, id string) error {
	op := "delete user " + id
	if !c.writes.Begin() {
		return c.refuse(op)
	}
	defer c.writes.End()
	return c.inner.Delete(ctx, id)
}

func (c *counted) Create(ctx context.Context, fields crm.Changes) (crm.User, error) {
	const op = "create user"
	cr, ok := c.inner.(crm.Creator)
	if !ok {
		return crm.User{}, crm.Unsupported(c.inner.Info().Name, op)
	}
	if !c.writes.Begin() {
		return crm.User{}, c.refuse(op)
	}
	defer c.writes.End()
	return cr.Create(ctx, fields)
}

// refuse says nothing was sent: it is safe to try again on another server.
func (c *counted) refuse(op string) error {
	return &crm.Error{Kind: crm.KindTransient, Provider: c.inner.Info().Name, Op: op,
		Message: "the server is shutting down; nothing was changed"}
}
