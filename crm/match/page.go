package match

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/roster-tui/roster/crm"
)

// A query never returns a user that does not match it. Providers search in
// their own ways: Laurel ignores queries under 2 characters and lists
// everyone, a server may ignore a parameter it does not document, and most
// match accents exactly. So every server search's answer passes through
// this package's matcher before anyone sees it, in the CLI and the console
// alike, and a provider that cannot search a query is not asked to.

// ServerSearches reports whether the provider searches for q itself rather
// than ignoring it: it must offer server search and q must fit its bounds
// (Laurel: 2–100 characters). Without the provider's word, one character
// is too little.
func ServerSearches(caps crm.Capabilities, q string) bool {
	q = strings.TrimSpace(q)
	if !caps.ServerSearch || q == "" {
		return false
	}
	n := utf8.RuneCountInString(q)
	return n >= max(caps.MinQuery, 2) && (caps.MaxQuery == 0 || n <= caps.MaxQuery)
}

// NarrowPage keeps the users of page that match q. When it drops any, the
// provider's total no longer describes the page and becomes unknown (-1).
func NarrowPage(page crm.Page, q string) crm.Page {
	m := New(q)
	if m.Empty() {
		return page
	}
	kept := m.Narrow(page.Users)
	if len(kept) != len(page.Users) {
		page.Total = -1
	}
	page.Users = kept
	return page
}

// List asks p for one page and, when req carries a query, narrows the
// answer with the matcher: the one call the CLI and the console make for a
// searched page.
func List(ctx context.Context, p crm.Provider, req crm.PageRequest) (crm.Page, error) {
	page, err := p.List(ctx, req)
	if err != nil || req.Query == "" {
		return page, err
	}
	return NarrowPage(page, req.Query), nil
}

// LoadAll is crm.LoadAll narrowed to req.Query the same way.
func LoadAll(ctx context.Context, p crm.Provider, req crm.PageRequest, progress func(loaded, total int)) ([]crm.User, error) {
	users, err := crm.LoadAll(ctx, p, req, progress)
	if err != nil || req.Query == "" {
		return users, err
	}
	return New(req.Query).Narrow(users), nil
}

// CannotSearch says why a query is matched locally, for the CLI's stderr
// and the console's status line.
func CannotSearch(info crm.Info, q string) string {
	if !info.Caps.ServerSearch {
		return fmt.Sprintf("%s cannot search on the server; matching %q against every listed user", info.Name, q)
	}
	return fmt.Sprintf("%s does not search for %q (it searches %s); matching it against every listed user", info.Name, q, bounds(info.Caps))
}

func bounds(c crm.Capabilities) string {
	lo := max(c.MinQuery, 2)
	if c.MaxQuery > 0 {
		return fmt.Sprintf("%d–%d characters", lo, c.MaxQuery)
	}
	return fmt.Sprintf("%d characters or more", lo)
}
