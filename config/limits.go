package config

import (
	"slices"
	"strings"
	"time"

	"github.com/roster-tui/roster/crm/limit"
)

// unpublished are the limits of a kind whose entry publishes none: a
// conservative pace.
var unpublished = limit.Settings{Requests: 5, Per: time.Second, Concurrency: 2}

// Limits are the client-side rate limits of the provider's account: the
// kind's published limits (Kind.Limits), with rate_limit and
// max_concurrency from the file in their place when given.
func (p Provider) Limits() limit.Settings {
	s := unpublished
	if kind, ok := KindNamed(p.Kind); ok && kind.Limits != (limit.Settings{}) {
		s = kind.Limits
	}
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
