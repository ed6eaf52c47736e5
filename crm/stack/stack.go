// Package stack is the one place that wraps an adapter for use: the local
// console, the CLI and every SSH session get their providers from Build, and
// no other code knows the order of the layers.
//
// From the outside in:
//
//	page cache   remembers List answers; every write passes through it, so it
//	             forgets its pages on every write (even one refused below), and
//	             the UI reaches its Invalidate through crm.Invalidator
//	writes       counts writes in flight so a server lets them finish before it
//	             stops (only when Options.Writes is set)
//	audit        records every write, refused ones included (only when
//	             Options.Audit is set; the demo's users live in memory)
//	guard        the one permission gate: role, read_only, the provider's live
//	             capabilities
//	limiter      hands the account's limiter (Options.Limiter, one per account
//	             per process) to every request: the shared crm/httpx client
//	             waits on it before each attempt and tells it of each 429
//	             (only when Options.Limiter is set)
//	adapter      speaks the provider's protocol
//
// Optional abilities: the value Build returns implements crm.IdentityLookup
// and crm.Creator exactly when the adapter does (checked once, here), and
// always crm.Invalidator. Each decorator has Lookup and Create methods that
// forward to the layer below (Unsupported when it lacks them); only this
// package decides whether a caller can see them, so a decorator chain never
// claims an ability the adapter does not have. Info's Caps.Create and
// Caps.IdentityTypes agree with the same check (crm.LiveInfo, in the guard).
//
// Decorators are written one way: a struct with the inner provider in a
// named field and every method forwarded explicitly. Nothing embeds
// crm.Provider, so a method added to the interface cannot pass a decorator
// (the guard, above all) unseen: it fails to compile until each layer says
// what it does with it.
package stack

import (
	"fmt"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/limit"
	"github.com/roster-tui/roster/crm/pagecache"
)

// Options are everything a stack needs besides the adapter.
type Options struct {
	// Role is what the person may do; the zero Role may only read.
	Role guard.Role
	// ReadOnly is the config's read_only: nobody writes.
	ReadOnly bool
	// Audit receives an entry for every write; nil: writes are not audited
	// (the demo only). Open it once per process and share it.
	Audit audit.Sink
	// Who is named in the audit entries.
	Who audit.Who
	// CacheUsers bounds the page cache (users across cached pages);
	// 0: pagecache.DefaultMaxUsers.
	CacheUsers int
	// Writes, when set, counts the writes in flight (a server's shutdown
	// waits for them) and refuses new ones once it says so.
	Writes Writes
	// Limiter paces every request to the account (crm/limit); take it from
	// the process's one limit.Registry so every stack of the account shares
	// it. nil: requests are not paced (tests, the demo).
	Limiter limit.Limiter
}

// Writes counts writes in flight.
type Writes interface {
	// Begin registers a write about to be sent; false refuses it (the
	// server is shutting down) and nothing is sent.
	Begin() bool
	// End says a write that Begin admitted has finished.
	End()
}

// Build wraps adapter in the layers above, in their one order. The result
// implements crm.Invalidator, and crm.IdentityLookup and crm.Creator when
// adapter does.
func Build(adapter crm.Provider, o Options) crm.Provider {
	var p crm.Provider = adapter
	layers := []string{kind(adapter)}
	if o.Limiter != nil {
		p = &limited{inner: p, lim: o.Limiter}
		layers = append(layers, "limiter")
	}
	p = guard.Wrap(p, o.Role, o.ReadOnly)
	layers = append(layers, "guard")
	if o.Audit != nil {
		p = audit.Wrap(p, o.Audit, o.Who)
		layers = append(layers, "audit")
	}
	if o.Writes != nil {
		p = &counted{inner: p, writes: o.Writes}
		layers = append(layers, "writes")
	}
	top := &stacked{top: pagecache.Wrap(p, pagecache.Options{MaxUsers: o.CacheUsers}),
		layers: append(layers, "pagecache")}
	if o.Limiter != nil {
		top.limits = o.Limiter.Settings()
	}
	_, lookup := adapter.(crm.IdentityLookup)
	_, create := adapter.(crm.Creator)
	switch {
	case lookup && create:
		return lookupCreateStack{top}
	case lookup:
		return lookupStack{top}
	case create:
		return createStack{top}
	}
	return top
}

// Layers names the layers of a provider Build returned, innermost (the
// adapter's Go type) first; nil for any other provider. The entry points'
// tests check their stacks with it.
func Layers(p crm.Provider) []string {
	var s *stacked
	switch v := p.(type) {
	case *stacked:
		s = v
	case lookupStack:
		s = v.stacked
	case createStack:
		s = v.stacked
	case lookupCreateStack:
		s = v.stacked
	default:
		return nil
	}
	return append([]string(nil), s.layers...)
}

func kind(p crm.Provider) string { return fmt.Sprintf("%T", p) }
