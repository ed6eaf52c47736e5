package crm

import (
	"context"
	"fmt"
	"strconv"
)

// LoadAll lists every user req selects, in the provider's order.
//
// Cursor (and PagingNone) providers are read one page after another, each
// request carrying the previous page's Next. PagingNumber providers follow
// this convention: a cursor is a page number as a decimal string ("" is page
// 1, req.Cursor may name the first page to load) and Next is "N+1" while
// more pages follow. LoadAll then asks for up to Caps.MaxConcurrency pages
// at once (1 when unset), never more than that many ahead of the first page
// it has not yet taken, assembles them in page order, and stops at the first
// page whose Next is empty: pages fetched speculatively past it are
// discarded, and an error on such a page is never seen.
//
// progress, when not nil, is called after each page is taken (in order,
// from LoadAll's own goroutine) with the users loaded so far and the
// provider's total (-1 when it does not say). Cancelling ctx stops all
// requests; the first error, in page order, ends the load.
func LoadAll(ctx context.Context, p Provider, req PageRequest, progress func(loaded int, total int)) ([]User, error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	var all pages
	err := LoadPages(ctx, p, req, func(page Page) error {
		all.add(page.Users)
		progress(all.n, page.Total)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all.users(), nil
}

// LoadPages is LoadAll that hands each page to take as it is taken, in
// order, instead of keeping them: the CLI streams `users list --all` with
// it. An error from take ends the load and is returned.
func LoadPages(ctx context.Context, p Provider, req PageRequest, take func(Page) error) error {
	caps := p.Info().Caps
	if caps.Paging == PagingNumber {
		return loadNumbered(ctx, p, req, max(caps.MaxConcurrency, 1), take)
	}
	return loadCursors(ctx, p, req, take)
}

// cursorPage is one item of a cursor load: a page to take, or the error
// that ends the load.
type cursorPage struct {
	page Page
	err  error
}

// loadCursors follows cursors one request at a time — the next cursor is in
// the answer — but asks for the next page as soon as a page has arrived,
// while take works on this one: taking a page (the CLI writing its users,
// the console building their rows) overlaps the next round trip instead of
// adding to it. At most one page waits to be taken.
func loadCursors(ctx context.Context, p Provider, req PageRequest, take func(Page) error) error {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	pages := make(chan cursorPage, 1)
	// On the way out the fetcher is stopped and waited for, so no request
	// of this load is still running when LoadPages returns.
	defer func() {
		cancel()
		for range pages {
		}
	}()
	go fetchCursors(ctx, p, req, pages)
	for item := range pages {
		if item.err != nil {
			return item.err
		}
		if err := take(item.page); err != nil {
			return err
		}
		if item.page.Next == "" {
			return nil
		}
	}
	return parent.Err()
}

// fetchCursors reads page after page into pages until the last one, an
// error or ctx's end, then closes pages.
func fetchCursors(ctx context.Context, p Provider, req PageRequest, pages chan<- cursorPage) {
	defer close(pages)
	send := func(item cursorPage) bool {
		select {
		case pages <- item:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for n := 1; ctx.Err() == nil; n++ {
		page, err := p.List(ctx, req)
		if err != nil {
			send(cursorPage{err: fmt.Errorf("load page %d: %w", n, err)})
			return
		}
		if !send(cursorPage{page: page}) || page.Next == "" {
			return
		}
		if page.Next == req.Cursor {
			send(cursorPage{err: &Error{Kind: KindBadResponse, Op: fmt.Sprintf("load page %d", n),
				Message: "the provider answered the same cursor again"}})
			return
		}
		req.Cursor = page.Next
	}
}

// numberedPage is one page number's answer.
type numberedPage struct {
	n    int
	page Page
	err  error
}

// loadNumbered fetches page numbers concurrently within a window of width
// workers and takes them in order.
func loadNumbered(ctx context.Context, p Provider, req PageRequest, workers int, take func(Page) error) error {
	first, err := PageNumber(req.Cursor)
	if err != nil {
		return WithOp(err, p.Info().Name, "load all")
	}
	ctx, cancel := context.WithCancel(ctx)
	// Each fetch sends exactly once into a buffer with room for all of them,
	// so none blocks; on the way out we cancel and wait for the stragglers.
	results := make(chan numberedPage, workers)
	inFlight := 0
	defer func() {
		cancel()
		for ; inFlight > 0; inFlight-- {
			<-results
		}
	}()
	nextToFetch, nextToTake := first, first
	pending := map[int]numberedPage{}
	// fill sends requests until workers are in flight, never past the
	// window of workers pages from the next one to take.
	fill := func() {
		for inFlight < workers && nextToFetch < nextToTake+workers {
			r := req
			r.Cursor = strconv.Itoa(nextToFetch)
			go func(n int, r PageRequest) {
				page, err := p.List(ctx, r)
				results <- numberedPage{n: n, page: page, err: err}
			}(nextToFetch, r)
			nextToFetch++
			inFlight++
		}
	}
	for {
		fill()
		var res numberedPage
		select {
		case res = <-results:
			inFlight--
		case <-ctx.Done():
			return ctx.Err()
		}
		pending[res.n] = res
		for {
			res, ok := pending[nextToTake]
			if !ok {
				break
			}
			delete(pending, nextToTake)
			if res.err != nil {
				return fmt.Errorf("load page %d: %w", res.n, res.err)
			}
			if res.page.Next == "" {
				return take(res.page)
			}
			// The window moves on before the page is taken: the next
			// request goes out now, and taking this page (the CLI writing
			// its users, the console building its rows) overlaps its round
			// trip instead of delaying it.
			nextToTake++
			fill()
			if err := take(res.page); err != nil {
				return err
			}
		}
	}
}

// pages collects the users of each page taken and joins them once at the
// end: appending page after page to one slice copies every user loaded so
// far each time it grows (for a million users, some 400 MB of copying and
// garbage on the cores that are also decoding the next pages).
type pages struct {
	list [][]User
	n    int
}

func (p *pages) add(users []User) {
	p.list = append(p.list, users)
	p.n += len(users)
}

func (p *pages) users() []User {
	out := make([]User, 0, p.n)
	for _, u := range p.list {
		out = append(out, u...)
	}
	return out
}
