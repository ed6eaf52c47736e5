// Package guard enforces roles and read-only providers below the UI: a
// decorator around any crm.Provider, so no keystroke sequence, CLI flag or
// SSH trick can write as a viewer.
package guard

import (
	"context"
	"fmt"
	"slices"

	"github.com/roster-tui/roster/crm"
)

// Role is what a person may do.
type Role string

const (
	Viewer Role = "viewer" // read
	Editor Role = "editor" // read + update
	Admin  Role = "admin"  // read + update + delete
)

// Roles are every role, least first: the names the config may give.
var Roles = []Role{Viewer, Editor, Admin}

// ParseRole accepts the config's role names.
func ParseRole(s string) (Role, error) {
	if slices.Contains(Roles, Role(s)) {
		return Role(s), nil
	}
	return "", fmt.Errorf("unknown role %q (want viewer, editor or admin)", s)
}

// CanUpdate reports whether the role may change users.
func (r Role) CanUpdate() bool { return r == Editor || r == Admin }

// CanDelete reports whether the role may delete users.
func (r Role) CanDelete() bool { return r == Admin }

// Provider is a guarded provider: the one place that decides whether a
// write may be sent. A write goes to the provider only when all three agree:
// the person's role, the config's read_only, and the provider's own live
// capabilities (an adapter that learnt from the provider that the account
// refuses writes says so in Info, and the guard refuses further writes
// without I/O). Adapters never refuse on their own account.
//
// Like every decorator in the stack it forwards each method explicitly (no
// embedding), so a method added to crm.Provider cannot slip past it. It has
// Lookup and Create for the optional interfaces; crm/stack exposes them only
// when the adapter has them, and here they answer Unsupported otherwise.
type Provider struct {
	inner    crm.Provider
	role     Role
	readOnly bool
}

// Wrap guards p for role; readOnly makes it read-only for everyone.
func Wrap(p crm.Provider, role Role, readOnly bool) *Provider {
	return &Provider{inner: p, role: role, readOnly: readOnly}
}

// Info narrows the inner capabilities to what the role and the config
// allow, and switches off the optional abilities the inner provider lacks
// (crm.LiveInfo). It asks the inner provider every time: a provider may turn
// itself read-only at runtime.
func (p *Provider) Info() crm.Info {
	info := crm.LiveInfo(p.inner)
	info.Caps.Update = info.Caps.Update && p.mayUpdate()
	info.Caps.Delete = info.Caps.Delete && p.mayDelete()
	info.Caps.Create = info.Caps.Create && p.mayUpdate()
	if p.readOnly && info.Notice == "" {
		info.Notice = "read-only: configured with read_only = true"
	}
	return info
}

// mayUpdate and mayDelete are what the person and the config allow; Info
// adds what the provider allows.
func (p *Provider) mayUpdate() bool { return !p.readOnly && p.role.CanUpdate() }
func (p *Provider) mayDelete() bool { return !p.readOnly && p.role.CanDelete() }

// Schema marks every field read-only when no update may be sent.
func (p *Provider) Schema() crm.Schema {
	s := p.inner.Schema()
	if p.mayUpdate() && p.inner.Info().Caps.Update {
		return s
	}
	s.Fields = slices.Clone(s.Fields) // the inner provider's slice stays as it is
	for i := range s.Fields {
		s.Fields[i].Editable = false
	}
	return s
}

func (p *Provider) List(ctx context.Context, req crm.PageRequest) (crm.Page, error) {
	return p.inner.List(ctx, req)
}

func (p *Provider) Get(ctx context.Context, id string) (crm.User, error) {
	return p.inner.Get(ctx, id)
}

// Lookup reads, so every role may; it is Unsupported when the inner provider
// has no identities.
func (p *Provider) Lookup(ctx context.Context, identityType, value string) (crm.User, error) {
	l, ok := p.inner.(crm.IdentityLookup)
	if !ok {
		return crm.User{}, crm.Unsupported(p.inner.Info().Name, "look up user by "+identityType)
	}
	return l.Lookup(ctx, identityType, value)
}

// Update refuses without I/O unless role, config and provider allow it.
func (p *Provider) Update(ctx context.Context, id string, changes crm.Changes) (crm.User, error) {
	if err := p.check(p.mayUpdate(), "update user "+id, func(c crm.Capabilities) bool { return c.Update }); err != nil {
		return crm.User{}, err
	}
	return p.inner.Update(ctx, id, changes)
}

// Delete refuses without I/O unless role, config and provider allow it.
func (p *Provider) Delete(ctx context.Context, id string) error {
	if err := p.check(p.mayDelete(), "delete user "+id, func(c crm.Capabilities) bool { return c.Delete }); err != nil {
		return err
	}
	return p.inner.Delete(ctx, id)
}

// Create refuses without I/O unless role, config and provider allow it
// (creating needs the role that may update).
func (p *Provider) Create(ctx context.Context, fields crm.Changes) (crm.User, error) {
	const op = "create user"
	c, ok := p.inner.(crm.Creator)
	if !ok {
		return crm.User{}, crm.Unsupported(p.inner.Info().Name, op)
	}
	if err := p.check(p.mayUpdate(), op, func(c crm.Capabilities) bool { return c.Create }); err != nil {
		return crm.User{}, err
	}
	return c.Create(ctx, fields)
}

// check is nil when the person may (role and config) and the provider's
// live capabilities allow the write; else the refusal, nothing sent.
func (p *Provider) check(personMay bool, op string, providerAllows func(crm.Capabilities) bool) error {
	info := crm.LiveInfo(p.inner)
	switch {
	case p.readOnly:
		return crm.ReadOnly(info.Name, op)
	case !personMay:
		return &crm.Error{Kind: crm.KindForbidden, Provider: info.Name, Op: op,
			Message: fmt.Sprintf("your role (%s) does not allow this", p.role)}
	case !providerAllows(info.Caps):
		msg := "the provider does not allow this now"
		if info.Notice != "" {
			msg = info.Notice
		}
		return &crm.Error{Kind: crm.KindForbidden, Provider: info.Name, Op: op, Message: msg}
	}
	return nil
}
