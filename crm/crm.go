// Package crm is Roster's domain: users held in CRM systems, the schema of
// their fields, and the Provider interface every adapter implements. It knows
// nothing of the terminal UI or the command line.
package crm

import (
	"context"
	"fmt"
	"strconv"
)

// Provider is one configured CRM account. Every method but Info and Schema
// does I/O and takes a context; callers cancel it when the view or command
// that asked goes away.
//
// Abilities not every provider has are optional interfaces (IdentityLookup,
// Creator), so a capability can never be claimed without its method. Callers
// check them with a type assertion on the provider they were given; the
// provider stack (crm/stack) exposes an optional interface exactly when the
// adapter under it implements it.
type Provider interface {
	// Info describes the provider and what it can do now. It is LIVE: cheap,
	// no I/O, but its answer may change while the provider is open (an
	// account that refuses a write turns read-only), so callers ask it again
	// instead of keeping an old answer.
	Info() Info
	// Schema lists the user fields in display order.
	Schema() Schema
	// List returns one page of users. An empty Cursor asks for the first page;
	// Page.Next is empty on the last page.
	List(ctx context.Context, req PageRequest) (Page, error)
	// Get reads one user by id.
	Get(ctx context.Context, id string) (User, error)
	// Update sends only the changed fields (keys are the provider's own field
	// keys from Schema) and returns the user as the provider now holds it.
	// A save that takes several requests may fail part-way: then the returned
	// User (non-empty ID) is what the provider now holds, alongside the error
	// that says which part was not saved.
	Update(ctx context.Context, id string, changes Changes) (User, error)
	// Delete removes the user.
	Delete(ctx context.Context, id string) error
}

// IdentityLookup is a provider whose users carry external identities
// (Capabilities.IdentityTypes lists which).
type IdentityLookup interface {
	// Lookup finds the one user holding the identity.
	Lookup(ctx context.Context, identityType, value string) (User, error)
}

// Creator is a provider that can add users.
type Creator interface {
	// Create adds a user with the given fields (the provider's own keys from
	// Schema) and returns the user as the provider now holds it.
	Create(ctx context.Context, fields Changes) (User, error)
}

// Invalidator is a provider that remembers answers (a page cache) and can be
// told to forget them, so the next List asks the provider again.
type Invalidator interface {
	Invalidate()
}

// LiveInfo is p.Info() with every optional ability p does not implement
// switched off: Caps.Create only for a Creator, Caps.IdentityTypes only for
// an IdentityLookup. A capability therefore never outlives its method, and
// callers may trust Caps.Create and Caps.IdentityTypes before asserting.
// The guard answers Info with it.
func LiveInfo(p Provider) Info {
	info := p.Info()
	if _, ok := p.(Creator); !ok {
		info.Caps.Create = false
	}
	if _, ok := p.(IdentityLookup); !ok {
		info.Caps.IdentityTypes = nil
	}
	return info
}

// PageStyle says how a provider pages through users.
type PageStyle string

const (
	PagingCursor PageStyle = "cursor" // opaque next-cursor; pages one after another
	// PagingNumber: page numbers, so pages can be fetched concurrently. The
	// cursor is the page number as a decimal string ("" is page 1).
	PagingNumber PageStyle = "number"
	PagingNone   PageStyle = "none" // everything in one answer
)

// PageNumber reads a PagingNumber cursor: a page number as a decimal string,
// "" being page 1. Anything else is a validation error without provider or
// operation (crm.WithOp adds them).
func PageNumber(cursor string) (int, error) {
	if cursor == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(cursor)
	if err != nil || n < 1 {
		return 0, &Error{Kind: KindValidation, Message: fmt.Sprintf("cursor %q is not a page number", cursor)}
	}
	return n, nil
}

// Capabilities say what a provider can do now (Info is live). The UI and
// CLI offer only these; the guard (crm/guard) narrows them to the person's
// role and the config's read_only, and refuses whatever they do not allow.
type Capabilities struct {
	Update bool
	Delete bool
	// Create: the provider implements Creator and the account allows it now.
	// An adapter sets it only if it implements Creator (LiveInfo enforces it).
	Create       bool
	ServerSearch bool // PageRequest.Query is sent to the provider
	// MinQuery and MaxQuery bound the length (in characters) of a query the
	// server search accepts; 0 means no bound. Outside them the provider
	// lists without searching, so the UI narrows locally instead.
	MinQuery, MaxQuery int
	Paging             PageStyle // how Page.Next is to be understood
	MaxPageSize        int       // the largest PageRequest.Limit the provider accepts
	// MaxConcurrency bounds parallel page fetches for PagingNumber providers.
	MaxConcurrency int
	// IdentityTypes lists the identity types Lookup accepts (empty: no lookup).
	IdentityTypes []string
	// Views are named list filters the provider offers (e.g. Zoho's user
	// types); the first one is the default. Empty: no filters.
	Views []string
}

// Info describes a configured provider.
type Info struct {
	Name  string // the name in the config, e.g. "sales"
	Kind  string // apideck | truto | zoho | laurel
	Label string // human name of the product, e.g. "Apideck Unify CRM"
	// Notice is a short, provider-set remark shown in the status bar (for
	// example "read-only: the account refuses writes").
	Notice string
	Caps   Capabilities
}

// PageRequest asks for one page of users.
type PageRequest struct {
	Cursor string // opaque; empty for the first page
	Limit  int    // page size; providers clamp it to Capabilities.MaxPageSize
	Query  string // server-side search, only when Capabilities.ServerSearch
	View   string // one of Capabilities.Views; empty for the default
	// IfModifiedSince asks providers that support it to answer
	// ErrNotModified when nothing changed since then (RFC 3339; empty: no).
	IfModifiedSince string
}

// Page is one page of users.
type Page struct {
	Users []User
	Next  string // cursor of the next page; empty when this is the last
	Total int    // total users when the provider says, else -1
}
