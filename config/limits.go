package config

import (
	"slices"
	"strings"

	"github.com/roster-tui/roster/crm/limit"
)

// Limits are the client-side rate limits of the provider's account: the
// kind's published limits (limit.Published), with rate_limit and
// max_concurrency from the file in their place when given.
func (p Provider) Limits() limit.Settings {
	s := limit.Published(p.Kind)
	if n, per, err := limit.ParseRate(p.RateLimit); err == nil {
		s.Requests, s.Per = n, per
	}
	if p.MaxConcurrency > 0 {
		s.Concurrency = p.MaxConcurrency
	}
	return s
}

// Account names the provider account the limits apply to, so that two
// config entries for one account share a limiter: the kind, the base URL
// and what identifies the account at the provider (Truto's integrated
// account, Apideck's consumer, Zoho's client, Laurel's customer: the keys
// its registry entry lists as Account). Without them the entry's name
// stands in.
func (p Provider) Account() string {
	kind, _ := KindNamed(p.Kind)
	parts := make([]string, 0, len(kind.Account))
	for _, key := range kind.Account {
		parts = append(parts, p.Value(key))
	}
	id := strings.Join(parts, "/")
	if len(parts) == 0 || slices.Contains(parts, "") {
		id = p.Name
	}
	return p.Kind + " " + p.BaseURL + " " + id
}
