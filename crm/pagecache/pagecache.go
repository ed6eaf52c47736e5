// Package pagecache is a crm.Provider decorator that remembers the pages a
// provider answered, so moving back through pages the admin has already
// seen (or returning to a view or a search) costs no request. Any write made
// through it, an explicit Invalidate, or a conditional list that finds
// changes forgets everything, because a write can move a user across pages.
package pagecache

import (
	"container/list"
	"context"
	"slices"
	"sync"

	"github.com/roster-tui/roster/crm"
)

// DefaultMaxUsers bounds how many users the cached pages hold together. The
// list view holds the users it shows itself; the cache only has to cover
// the pages around them, so a "load all" of a million users does not keep a
// second million here.
const DefaultMaxUsers = 20000

// Options configure a cache.
type Options struct {
	// MaxUsers bounds the users held across cached pages; the least
	// recently used pages go first. DefaultMaxUsers when 0.
	MaxUsers int
}

// key identifies one List answer. IfModifiedSince is not part of it: such
// requests bypass the cache.
type key struct {
	query, view, cursor string
	limit               int
}

func keyOf(req crm.PageRequest) key {
	return key{query: req.Query, view: req.View, cursor: req.Cursor, limit: req.Limit}
}

// entry is one cached page in the LRU list.
type entry struct {
	key  key
	page crm.Page
}

// call is a List request in flight that later callers of the same page wait
// for instead of sending their own (the UI prefetches while the admin pages).
// The request runs on its own goroutine under a context no single caller
// owns: a caller who gives up returns at once and the others keep waiting
// for the same answer; the request is cancelled only when every caller has
// given up. (Tying it to the first caller's context made everyone else's
// answer depend on that caller staying around.)
type call struct {
	done     chan struct{} // closed once page/err/panicked are set
	page     crm.Page
	err      error
	panicked any // what the provider panicked with, raised again in each caller
	callers  int // callers still waiting; guarded by Provider.mu
	cancel   context.CancelFunc
}

// Provider caches the List answers of an inner provider. It is safe for
// concurrent use.
type Provider struct {
	inner    crm.Provider
	maxUsers int

	mu       sync.Mutex
	gen      uint64 // bumped by every invalidation; answers of older requests are not stored
	entries  map[key]*list.Element
	lru      *list.List // front: most recently used; values are *entry
	users    int        // users across cached pages
	inflight map[key]*call
	// onJoin, when set (tests), is called when a List joins a request in flight.
	onJoin func()
}

var (
	_ crm.Provider    = (*Provider)(nil)
	_ crm.Invalidator = (*Provider)(nil)
)

// Wrap caches the pages of p.
func Wrap(p crm.Provider, o Options) *Provider {
	if o.MaxUsers <= 0 {
		o.MaxUsers = DefaultMaxUsers
	}
	return &Provider{inner: p, maxUsers: o.MaxUsers, entries: map[key]*list.Element{},
		lru: list.New(), inflight: map[key]*call{}}
}

// Info is the inner provider's.
func (p *Provider) Info() crm.Info { return p.inner.Info() }

// Schema is the inner provider's.
func (p *Provider) Schema() crm.Schema { return p.inner.Schema() }

// Get always asks the provider: a user opened for detail or editing must be
// current, and conflict checks read through here.
func (p *Provider) Get(ctx context.Context, id string) (crm.User, error) {
	return p.inner.Get(ctx, id)
}

// Lookup always asks the provider; it is Unsupported when the inner
// provider has no identities (crm/stack offers it only when it has).
func (p *Provider) Lookup(ctx context.Context, identityType, value string) (crm.User, error) {
	l, ok := p.inner.(crm.IdentityLookup)
	if !ok {
		return crm.User{}, crm.Unsupported(p.inner.Info().Name, "look up user by "+identityType)
	}
	return l.Lookup(ctx, identityType, value)
}

// Create adds through the provider and forgets every cached page: the new
// user belongs on some page. Unsupported when the inner provider cannot
// create (crm/stack offers it only when it can).
func (p *Provider) Create(ctx context.Context, fields crm.Changes) (crm.User, error) {
	c, ok := p.inner.(crm.Creator)
	if !ok {
		return crm.User{}, crm.Unsupported(p.inner.Info().Name, "create user")
	}
	p.Invalidate()
	defer p.Invalidate()
	return c.Create(ctx, fields)
}

// Update saves through the provider and forgets every cached page, whatever
// the outcome: even a failed save may have changed something part-way.
func (p *Provider) Update(ctx context.Context, id string, changes crm.Changes) (crm.User, error) {
	// Before: pages being fetched now must not be stored as current.
	// After: pages fetched during the save may predate it.
	p.Invalidate()
	defer p.Invalidate()
	return p.inner.Update(ctx, id, changes)
}

// Delete removes through the provider and forgets every cached page.
func (p *Provider) Delete(ctx context.Context, id string) error {
	p.Invalidate()
	defer p.Invalidate()
	return p.inner.Delete(ctx, id)
}

// Invalidate forgets every cached page (the admin asked for a refresh, or
// something else changed the provider's users). Requests already in flight
// finish, but their answers are not kept.
func (p *Provider) Invalidate() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reset()
}

// reset forgets every page and request in flight. The caller holds mu.
func (p *Provider) reset() {
	p.gen++
	clear(p.entries)
	p.lru.Init()
	p.users = 0
	clear(p.inflight)
}

// List answers from the cache when it can. A request with IfModifiedSince
// always goes to the provider; when the provider answers with a page (so
// something may have changed) the cache is emptied and keeps that page.
func (p *Provider) List(ctx context.Context, req crm.PageRequest) (crm.Page, error) {
	if req.IfModifiedSince != "" {
		return p.listFresh(ctx, req)
	}
	k := keyOf(req)
	p.mu.Lock()
	if el, ok := p.entries[k]; ok {
		p.lru.MoveToFront(el)
		page := el.Value.(*entry).page
		p.mu.Unlock()
		return clonePage(page), nil
	}
	c, joined := p.inflight[k]
	if joined {
		c.callers++
	} else {
		c = p.send(ctx, req, k)
	}
	join := p.onJoin
	p.mu.Unlock()
	if joined && join != nil {
		join()
	}
	return p.wait(ctx, k, c)
}

// send starts the request for k on its own goroutine. The request keeps the
// first caller's context values (retry notices, traces) but not its
// cancellation or deadline; httpx bounds it when nothing else does. The
// caller holds mu.
func (p *Provider) send(ctx context.Context, req crm.PageRequest, k key) *call {
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c := &call{done: make(chan struct{}), callers: 1, cancel: cancel}
	p.inflight[k] = c
	go p.fetch(rctx, req, k, c, p.gen)
	return c
}

// fetch asks the provider, stores the answer if no invalidation happened
// meanwhile, and wakes the callers. done is closed on every path, a panic
// included, so no caller can wait for an answer that will never come.
func (p *Provider) fetch(ctx context.Context, req crm.PageRequest, k key, c *call, gen uint64) {
	defer close(c.done)
	defer c.cancel()
	defer func() {
		r := recover()
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.inflight[k] == c {
			delete(p.inflight, k)
		}
		if r != nil {
			c.panicked = r
			return
		}
		if c.err == nil && p.gen == gen {
			p.store(k, c.page)
		}
	}()
	c.page, c.err = p.inner.List(ctx, req)
}

// wait returns the call's answer, or ctx's error as soon as ctx ends. The
// last caller to give up cancels the request and takes it out of flight, so
// a later caller sends a fresh one rather than joining a cancelled one.
func (p *Provider) wait(ctx context.Context, k key, c *call) (crm.Page, error) {
	select {
	case <-c.done:
	case <-ctx.Done():
		p.mu.Lock()
		c.callers--
		if c.callers == 0 {
			c.cancel()
			if p.inflight[k] == c {
				delete(p.inflight, k)
			}
		}
		p.mu.Unlock()
		return crm.Page{}, ctx.Err()
	}
	if c.panicked != nil {
		panic(c.panicked)
	}
	return clonePage(c.page), c.err
}

// listFresh sends a conditional request past the cache.
func (p *Provider) listFresh(ctx context.Context, req crm.PageRequest) (crm.Page, error) {
	page, err := p.inner.List(ctx, req)
	if err != nil {
		return page, err // not modified: what is cached is still current
	}
	p.mu.Lock()
	p.reset()
	p.store(keyOf(req), page)
	p.mu.Unlock()
	return clonePage(page), nil
}

// store keeps a page, evicting the least recently used ones beyond the bound.
// The caller holds mu.
func (p *Provider) store(k key, page crm.Page) {
	if el, ok := p.entries[k]; ok {
		p.users -= len(el.Value.(*entry).page.Users)
		p.lru.Remove(el)
		delete(p.entries, k)
	}
	page = clonePage(page) // the caller gets its own slice; ours must not change under us
	p.entries[k] = p.lru.PushFront(&entry{key: k, page: page})
	p.users += len(page.Users)
	for p.users > p.maxUsers && p.lru.Len() > 1 {
		el := p.lru.Back()
		e := el.Value.(*entry)
		p.lru.Remove(el)
		delete(p.entries, e.key)
		p.users -= len(e.page.Users)
	}
}

// clonePage copies the users slice, so a caller sorting or editing its page
// cannot change what the cache (or another caller) holds. The users' strings
// and raw JSON are immutable and shared.
func clonePage(pg crm.Page) crm.Page {
	pg.Users = slices.Clone(pg.Users)
	return pg
}
