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

// ParseRole accepts the config's role names.
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case Viewer, Editor, Admin:
		return Role(s), nil
	}
	return "", fmt.Errorf("unknown role %q (want viewer, editor or admin)", s)
}

// CanUpdate reports whether the role may change users.
func (r Role) CanUpdate() bool { return r == Editor || r == Admin }

// CanDelete reports whether the role may delete users.
func (r Role) CanDelete() bool { return r == Admin }

// Provider is a guarded provider.
type Provider struct {
	inner    crm.Provider
	role     Role
	readOnly bool
}

// Wrap guards p for role; readOnly makes it read-only for everyone.
func Wrap(p crm.Provider, role Role, readOnly bool) *Provider {
	return &Provider{inner: p, role: role, readOnly: readOnly}
}

// Info narrows the inner capabilities to what the role allows. It asks the
// inner provider every time: a provider may turn itself read-only at runtime.
func (p *Provider) Info() crm.Info {
	info := p.inner.Info()
	info.Caps.Update = info.Caps.Update && p.mayUpdate()
	info.Caps.Delete = info.Caps.Delete && p.mayDelete()
	info.Caps.Create = info.Caps.Create && p.mayUpdate()
	if p.readOnly && info.Notice == "" {
		info.Notice = "read-only"
	}
	return info
}

func (p *Provider) mayUpdate() bool { return !p.readOnly && p.role.CanUpdate() }
func (p *Provider) mayDelete() bool { return !p.readOnly && p.role.CanDelete() }

// Schema marks every field read-only when the role may not update.
func (p *Provider) Schema() crm.Schema {
	s := p.inner.Schema()
	if p.mayUpdate() {
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

func (p *Provider) Lookup(ctx context.Context, identityType, value string) (crm.User, error) {
	return p.inner.Lookup(ctx, identityType, value)
}

// Update refuses without I/O unless the role may update.
func (p *Provider) Update(ctx context.Context, id string, changes crm.Changes) (crm.User, error) {
	if !p.mayUpdate() {
		return crm.User{}, p.refuse("update user " + id)
	}
	return p.inner.Update(ctx, id, changes)
}

// Delete refuses without I/O unless the role may delete.
func (p *Provider) Delete(ctx context.Context, id string) error {
	if !p.mayDelete() {
		return p.refuse("delete user " + id)
	}
	return p.inner.Delete(ctx, id)
}

func (p *Provider) refuse(op string) error {
	name := p.inner.Info().Name
	if p.readOnly {
		return crm.ReadOnly(name, op)
	}
	return &crm.Error{Kind: crm.KindForbidden, Provider: name, Op: op,
		Message: fmt.Sprintf("your role (%s) does not allow this", p.role)}
}
