package providertest

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
)

// listAll pages through every user, checking each page against the
// provider's declared paging style, and returns them in order.
func listAll(t *testing.T, p crm.Provider, pageSize int) ([]crm.User, []crm.Page) {
	t.Helper()
	ctx := context.Background()
	caps := p.Info().Caps
	var users []crm.User
	var pages []crm.Page
	cursor := ""
	// Far more pages than the sandbox can hold: a provider that never ends
	// its list fails here instead of looping forever.
	maxPages := SandboxUsers + 2
	for n := 1; ; n++ {
		if n > maxPages {
			t.Fatalf("list did not end after %d pages (last cursor %q)", maxPages, cursor)
		}
		page, err := p.List(ctx, crm.PageRequest{Cursor: cursor, Limit: pageSize})
		if err != nil {
			t.Fatalf("list page %d (cursor %q): %v", n, cursor, err)
		}
		if caps.Paging != crm.PagingNone && len(page.Users) > pageSize {
			t.Errorf("page %d has %d users, more than the %d asked for", n, len(page.Users), pageSize)
		}
		if caps.Paging == crm.PagingNumber && page.Next != "" && page.Next != strconv.Itoa(n+1) {
			t.Errorf("page %d: next cursor %q, want the next page number %d", n, page.Next, n+1)
		}
		users = append(users, page.Users...)
		pages = append(pages, page)
		if page.Next == "" {
			return users, pages
		}
		if page.Next == cursor {
			t.Fatalf("page %d: next cursor %q repeats the cursor that fetched it", n, page.Next)
		}
		cursor = page.Next
	}
}

// firstUser returns a user from the first page, preferring one with an email
// (some generated people have none, which is not what these tests are about).
func firstUser(t *testing.T, p crm.Provider, pageSize int) crm.User {
	t.Helper()
	page, err := p.List(context.Background(), crm.PageRequest{Limit: pageSize})
	if err != nil {
		t.Fatalf("list first page: %v", err)
	}
	if len(page.Users) == 0 {
		t.Fatal("first page is empty")
	}
	for _, u := range page.Users {
		if u.ID != "" && u.Email != "" {
			return u
		}
	}
	return page.Users[0]
}

func (c contract) listAllPages(t *testing.T) {
	_, url := start(t)
	p := c.h.Open(t, url, false)
	users, pages := listAll(t, p, c.h.PageSize)
	seen := map[string]int{}
	for i, u := range users {
		if u.ID == "" {
			t.Errorf("user %d of the listing has no id", i)
			continue
		}
		if j, dup := seen[u.ID]; dup {
			t.Errorf("user %q is listed twice (positions %d and %d)", u.ID, j, i)
		}
		seen[u.ID] = i
	}
	if len(users) != SandboxUsers {
		t.Errorf("listed %d users over %d pages, the sandbox holds %d", len(users), len(pages), SandboxUsers)
	}
	if p.Info().Caps.Paging != crm.PagingNone && c.h.PageSize < SandboxUsers && len(pages) < 2 {
		t.Errorf("listed everything in %d page(s) of size %d", len(pages), c.h.PageSize)
	}
	for i, pg := range pages {
		if pg.Total >= 0 && pg.Total != SandboxUsers {
			t.Errorf("page %d reports a total of %d, the sandbox holds %d", i+1, pg.Total, SandboxUsers)
		}
	}
}

func (c contract) getMatchesList(t *testing.T) {
	_, url := start(t)
	p := c.h.Open(t, url, false)
	listed := firstUser(t, p, c.h.PageSize)
	got, err := p.Get(context.Background(), listed.ID)
	if err != nil {
		t.Fatalf("get %q: %v", listed.ID, err)
	}
	for _, name := range crm.CommonNames {
		a, _ := listed.Common(name)
		b, _ := got.Common(name)
		if !sameValue(a, b) {
			t.Errorf("%s: listed %v, get says %v", name, a, b)
		}
	}
	if !sameFields(listed.Fields(), got.Fields()) {
		t.Errorf("raw object differs between list and get:\nlist: %s\nget:  %s", listed.Raw, got.Raw)
	}
}

func (c contract) updateChangesOnlyEditedFields(t *testing.T) {
	_, url := start(t)
	p := c.h.Open(t, url, false)
	if !p.Info().Caps.Update {
		t.Skip("provider cannot update")
	}
	if len(c.h.Edit) == 0 { // a provider that updates is tested, never skipped
		t.Fatal("the harness has no Edit for a provider that can update: give it one")
	}
	for _, k := range c.h.Edit.Keys() {
		if f, ok := p.Schema().Field(k); !ok || !f.Editable {
			t.Fatalf("Edit key %q is not an editable field of the schema", k)
		}
	}
	ctx := context.Background()
	id := firstUser(t, p, c.h.PageSize).ID
	before, err := p.Get(ctx, id)
	if err != nil {
		t.Fatalf("get before update: %v", err)
	}
	after, err := p.Update(ctx, id, c.h.Edit)
	if err != nil {
		t.Fatalf("update %q with %v: %v", id, c.h.Edit, err)
	}
	if after.ID != id {
		t.Errorf("update returned user %q, want %q", after.ID, id)
	}
	checkEdited(t, "update result", after, c.h.Edit)
	checkOthersUnchanged(t, before, after, c.h.Edit, c.h.Derived...)
	reread, err := p.Get(ctx, id)
	if err != nil {
		t.Fatalf("get after update: %v", err)
	}
	checkEdited(t, "get after update", reread, c.h.Edit)
	checkOthersUnchanged(t, before, reread, c.h.Edit, c.h.Derived...)
}

func (c contract) deleteThenGet(t *testing.T) {
	_, url := start(t)
	p := c.h.Open(t, url, false)
	if !p.Info().Caps.Delete {
		t.Skip("provider cannot delete")
	}
	ctx := context.Background()
	id := firstUser(t, p, c.h.PageSize).ID
	if err := p.Delete(ctx, id); err != nil {
		t.Fatalf("delete %q: %v", id, err)
	}
	_, err := p.Get(ctx, id)
	if !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("get after delete: got %v, want a not-found error", err)
	}
	users, _ := listAll(t, p, c.h.PageSize)
	for _, u := range users {
		if u.ID == id {
			t.Fatalf("deleted user %q is still listed", id)
		}
	}
	if len(users) != SandboxUsers-1 {
		t.Errorf("listed %d users after one delete, want %d", len(users), SandboxUsers-1)
	}
}

func (c contract) badCredentials(t *testing.T) {
	_, url := start(t)
	p := c.h.Open(t, url, true)
	_, err := p.List(context.Background(), crm.PageRequest{Limit: c.h.PageSize})
	if !errors.Is(err, crm.ErrUnauthorized) {
		t.Fatalf("list with bad credentials: got %v, want an unauthorized error", err)
	}
	requireMessage(t, err)
}

func (c contract) getMissing(t *testing.T) {
	_, url := start(t)
	p := c.h.Open(t, url, false)
	users, _ := listAll(t, p, c.h.PageSize)
	missing := missingID(users)
	_, err := p.Get(context.Background(), missing)
	if !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("get of missing id %q: got %v, want a not-found error", missing, err)
	}
	requireMessage(t, err)
}

func (c contract) invalidChange(t *testing.T) {
	if len(c.h.Invalid) == 0 {
		t.Skip("harness has no Invalid change")
	}
	_, url := start(t)
	p := c.h.Open(t, url, false)
	if !p.Info().Caps.Update {
		t.Skip("provider cannot update")
	}
	ctx := context.Background()
	id := firstUser(t, p, c.h.PageSize).ID
	before, err := p.Get(ctx, id)
	if err != nil {
		t.Fatalf("get before update: %v", err)
	}
	_, err = p.Update(ctx, id, c.h.Invalid)
	if !errors.Is(err, crm.ErrValidation) {
		t.Fatalf("update with %v: got %v, want a validation error", c.h.Invalid, err)
	}
	e := crm.AsError(err)
	if len(e.Fields) > 0 {
		if !namesAKey(e.Fields, c.h.Invalid) {
			t.Errorf("validation error names fields %v, none of the changed keys %v", e.Fields, c.h.Invalid.Keys())
		}
	} else if e.Message == "" {
		t.Errorf("validation error has neither fields nor a message: %v", err)
	}
	after, err := p.Get(ctx, id)
	if err != nil {
		t.Fatalf("get after refused update: %v", err)
	}
	if !sameFields(before.Fields(), after.Fields()) {
		t.Errorf("a refused update changed the user:\nbefore: %s\nafter:  %s", before.Raw, after.Raw)
	}
}

func (c contract) rateLimited(t *testing.T) {
	s, url := start(t)
	p := c.h.Open(t, url, false)
	s.ForceError(c.h.Prefix, 429, 1, 7*time.Second)
	_, err := p.List(context.Background(), crm.PageRequest{Limit: c.h.PageSize})
	if !errors.Is(err, crm.ErrRateLimited) {
		t.Fatalf("list under a forced 429: got %v, want a rate-limited error", err)
	}
	if got := crm.AsError(err).RetryAfter; got != 7*time.Second {
		t.Errorf("RetryAfter = %s, want 7s", got)
	}
	requireMessage(t, err)
	if _, err := p.List(context.Background(), crm.PageRequest{Limit: c.h.PageSize}); err != nil {
		t.Errorf("list after the rate limit passed: %v", err)
	}
}

// serviceUnavailable wants a transient error for a 503. A provider that
// documents 503 as something else (Truto: account blocked) may answer another
// specific kind, as long as it keeps the status and the provider's words.
func (c contract) serviceUnavailable(t *testing.T) {
	s, url := start(t)
	p := c.h.Open(t, url, false)
	s.ForceError(c.h.Prefix, 503, 1, 0)
	_, err := p.List(context.Background(), crm.PageRequest{Limit: c.h.PageSize})
	if err == nil {
		t.Fatal("list under a forced 503 succeeded")
	}
	e := crm.AsError(err)
	if e == nil {
		t.Fatalf("list under a forced 503: %v is not a *crm.Error", err)
	}
	if e.Kind != crm.KindTransient {
		if e.Status != 503 || e.Kind == crm.KindUnknown || e.Kind == crm.KindBadResponse {
			t.Fatalf("list under a forced 503: got %v, want a transient error", err)
		}
	}
	requireMessage(t, err)
}

// requireMessage checks that a provider error carries the provider's words.
func requireMessage(t *testing.T, err error) {
	t.Helper()
	if e := crm.AsError(err); e == nil || e.Message == "" {
		t.Errorf("error %v does not say what the provider said", err)
	}
}
