package person

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/match"
)

// MaxScan bounds how many users a find reads from a provider that cannot
// search for the query itself: past it the provider's answer is an error
// (never "not found"), so one huge account cannot keep a find running for
// minutes or spend a day's API credits. CRM users are licensed seats: an
// account with more is rare, and reading 20 000 is 100 of Zoho's 200-user
// pages (about 3 s against the demo's sandbox).
const MaxScan = 20_000

// errScanLimit ends a listed scan that passed MaxScan.
var errScanLimit = errors.New("scan limit")

// Find searches every provider concurrently and sends one Found per
// provider on the returned channel as each answers (in the order they
// answer); the channel is closed when all have. Cancelling ctx ends the
// searches still running: they answer with ctx's error.
func Find(ctx context.Context, providers []crm.Provider, query string) <-chan Found {
	out := make(chan Found, len(providers))
	var wg sync.WaitGroup
	for i, p := range providers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := FindIn(ctx, p, query)
			f.Index = i
			out <- f
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Collect waits for every answer of Find and returns them in the order of
// the providers (n of them).
func Collect(answers <-chan Found, n int) []Found {
	all := make([]Found, n)
	for f := range answers {
		if f.Index >= 0 && f.Index < n {
			all[f.Index] = f
		}
	}
	return all
}

// FindAll is Find then Collect: every provider's answer, in their order.
func FindAll(ctx context.Context, providers []crm.Provider, query string) []Found {
	return Collect(Find(ctx, providers, query), len(providers))
}

// FindIn searches one provider (see the package comment for how). Found.Index
// is 0; Find sets it.
func FindIn(ctx context.Context, p crm.Provider, query string) Found {
	info := crm.LiveInfo(p)
	f := Found{Provider: info.Name}
	query = strings.TrimSpace(query)
	if query == "" {
		f.Err = &crm.Error{Kind: crm.KindValidation, Provider: info.Name, Op: "find person", Message: "give an email or a name to find"}
		return f
	}
	users, how, err := search(ctx, p, info, query, true)
	if err == nil && how == "server search" && len(Narrow(users, query)) == 0 && !IsEmail(query) {
		// No provider documents whether its search ignores accents, and
		// one that does not finds no "Nováková" for novakova, which the
		// matcher finds: read the users instead (bounded by MaxScan), as
		// for a provider that cannot search. An address is left to the
		// server: addresses carry no accents to miss.
		users, how, err = search(ctx, p, info, query, false)
		how = "server search found nothing; " + how
	}
	f.How = how
	if err != nil {
		f.Err = err
		return f
	}
	f.Users = Narrow(users, query)
	return f
}

// Narrow keeps the users a find for query may return: those the one
// matcher matches and, when query is an email, whose email is that address.
func Narrow(users []crm.User, query string) []crm.User {
	kept := match.New(query).Narrow(users)
	if !IsEmail(query) {
		return kept
	}
	return slices.DeleteFunc(kept, func(u crm.User) bool { return !crm.SameEmail(u.Email, query) })
}

// IsEmail reports whether query is an email address (one word with an @
// between two non-empty parts) rather than a name.
func IsEmail(query string) bool {
	q := strings.TrimSpace(query)
	local, domain, ok := strings.Cut(q, "@")
	return ok && local != "" && domain != "" && !strings.ContainsAny(q, " \t")
}

// search asks p for the users that may match query, the cheapest way p
// documents (its own search only when serverSearch allows), and says which
// way it used.
func search(ctx context.Context, p crm.Provider, info crm.Info, query string, serverSearch bool) ([]crm.User, string, error) {
	if l, ok := p.(crm.IdentityLookup); ok && IsEmail(query) && slices.Contains(info.Caps.IdentityTypes, "email") {
		u, err := l.Lookup(ctx, "email", strings.TrimSpace(query))
		switch {
		case err == nil:
			return []crm.User{u}, "identity lookup", nil
		case errors.Is(err, crm.ErrNotFound):
			return nil, "identity lookup", nil
		}
		return nil, "identity lookup", err
	}
	req := crm.PageRequest{Limit: info.Caps.MaxPageSize}
	how := "listed every user"
	if serverSearch && match.ServerSearches(info.Caps, query) {
		req.Query = query
		how = "server search"
	}
	if req.Limit <= 0 {
		req.Limit = 100
	}
	scanCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	users, err := crm.LoadAll(scanCtx, p, req, func(loaded, _ int) {
		if loaded > MaxScan {
			stop(errScanLimit)
		}
	})
	if errors.Is(context.Cause(scanCtx), errScanLimit) {
		return nil, how, &crm.Error{Kind: crm.KindUnsupported, Provider: info.Name, Op: "find person",
			Message: fmt.Sprintf("more than %d users to read and the provider cannot search for %q; not searched", MaxScan, query)}
	}
	if err != nil {
		return nil, how, crm.WithOp(err, info.Name, "find person")
	}
	if req.Query == "" {
		how = fmt.Sprintf("listed %d users", len(users))
	}
	return users, how, nil
}
