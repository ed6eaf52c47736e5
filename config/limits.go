package config

import (
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
// account, Apideck's consumer, Zoho's client, Laurel's customer).
func (p Provider) Account() string {
	id := p.Name
	switch p.Kind {
	case "truto":
		id = p.IntegratedAccountID
	case "apideck":
		id = p.AppID + "/" + p.ConsumerID
	case "zoho":
		if p.ClientID != "" {
			id = p.DataCenter + "/" + p.ClientID
		}
	case "laurel":
		id = p.CustomerID
	}
	return p.Kind + " " + p.BaseURL + " " + id
}
