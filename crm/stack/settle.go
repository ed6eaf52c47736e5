package stack

import (
	"context"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
)

// Settle resolves the audit intents an ended process left for adapter's
// provider (audit.Provider.Resolve), re-reading the users through the
// account's limiter as every stack does. Reads only: no guard, no page
// cache. o.Audit is the log to settle; nil settles nothing.
func Settle(ctx context.Context, adapter crm.Provider, o Options) (int, error) {
	if o.Audit == nil {
		return 0, nil
	}
	var p crm.Provider = adapter
	if o.Limiter != nil {
		p = &limited{inner: p, lim: o.Limiter}
	}
	return audit.Wrap(p, o.Audit, o.Who).Resolve(ctx)
}
