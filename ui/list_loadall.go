package ui

import (
	"context"

	"github.com/roster-tui/roster/crm"
)

// loadAll reads every page one after another. (Stand-in with the signature
// of crm.LoadAll until that lands; then this file goes.)
func loadAll(ctx context.Context, p crm.Provider, req crm.PageRequest, progress func(loaded, total int)) ([]crm.User, error) {
	var all []crm.User
	req.Cursor = ""
	for {
		page, err := p.List(ctx, req)
		if err != nil {
			return all, err
		}
		all = append(all, page.Users...)
		if progress != nil {
			progress(len(all), page.Total)
		}
		if page.Next == "" || len(page.Users) == 0 {
			return all, nil
		}
		req.Cursor = page.Next
	}
}
