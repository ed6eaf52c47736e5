// Package pagecache is a crm.Provider decorator that remembers the pages a
// provider answered, so moving back through pages the admin has already
// seen (or returning to a view or a search) costs no request. Any write made
// through it, an explicit Invalidate, or a conditional list that finds
// changes forgets everything, because a write can move a user across pages.
package pagecache

import (
	"container/list"
	"context"
	"errors"
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
type call struct {
	done chan struct{}
	page crm.Page
	err  error
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

var _ crm.Provider = (*Provider)(nil)

// Wrap caches the pages of p.
func Wrap(p crm.Provider, o Options) *Provider {
	if o.MaxUsers <= 0 {
		o.MaxUsers = DefaultMaxUsers
	}
	return &Provider{inner: p, maxUsers: o.MaxUsers, entries: map[key]*list.Element{},
		lru: list.New(), inflight: map[key]*call{}}
}

// Unwrap returns the provider whose pages are cached.
func (p *Provider) Unwrap() crm.Provider { return p.inner }

// Info is the inner provider's.
func (p *Provider) Info() crm.Info { return p.inner.Info() }

// Schema is the inner provider's.
func (p *Provider) Schema() crm.Schema { return p.inner.Schema() }

// Get always asks the provider: a user opened for detail or editing must be
// current, and conflict checks read through here.
func (p *Provider) Get(ctx context.Context, id string) (crm.User, error) {
	return p.inner.Get(ctx, id)
}

// Lookup always asks the provider.
func (p *Provider) Lookup(ctx context.Context, identityType, value string) (crm.User, error) {
	return p.inner.Lookup(ctx, identityType, value)
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
	for {
		p.mu.Lock()
		if el, ok := p.entries[k]; ok {
			p.lru.MoveToFront(el)
			page := el.Value.(*entry).page
			p.mu.Unlock()
			return clonePage(page), nil
		}
		if c, ok := p.inflight[k]; ok {
			join := p.onJoin
			p.mu.Unlock()
			if join != nil {
				join()
			}
			select {
			case <-c.done:
			case <-ctx.Done():
				return crm.Page{}, ctx.Err()
			}
			if c.err != nil && isCancel(c.err) && ctx.Err() == nil {
				continue // the caller that sent it gave up; we still want the page
			}
			return clonePage(c.page), c.err
		}
		c := &call{done: make(chan struct{})}
		p.inflight[k] = c
		gen := p.gen
		p.mu.Unlock()
		return p.lead(ctx, req, k, c, gen)
	}
}

// lead sends the request others may be waiting for, stores the answer if no
// invalidation happened meanwhile, and wakes the waiters.
func (p *Provider) lead(ctx context.Context, req crm.PageRequest, k key, c *call, gen uint64) (crm.Page, error) {
	defer close(c.done)
	c.page, c.err = p.inner.List(ctx, req)
	p.mu.Lock()
	if p.inflight[k] == c {
		delete(p.inflight, k)
	}
	if c.err == nil && p.gen == gen {
		p.store(k, c.page)
	}
	p.mu.Unlock()
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

func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
