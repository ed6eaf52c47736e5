// Package apideck is the Roster adapter for Apideck Unify's CRM API (users):
// cursor paging, name/email search, partial PATCH updates re-read with GET,
// and Apideck's error bodies turned into typed crm errors.
package apideck

import (
	"net/http"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
)

// DefaultBaseURL is Apideck Unify's API.
const DefaultBaseURL = "https://unify.apideck.com"

// MaxPageSize is the largest limit the users list accepts.
const MaxPageSize = 200

// Options configure one Apideck account.
type Options struct {
	Name       string // config name, used in errors; "apideck" when empty
	BaseURL    string // DefaultBaseURL when empty
	APIKey     string
	AppID      string
	ConsumerID string
	ServiceID  string // optional downstream connector, e.g. "salesforce"
	HTTP       *http.Client
}

// Provider is an Apideck CRM account. It is safe for concurrent use.
type Provider struct {
	name   string
	client *httpx.Client
	now    func() time.Time
}

var _ crm.Provider = (*Provider)(nil)

// New builds the provider. It does no I/O.
func New(o Options) *Provider {
	name := o.Name
	if name == "" {
		name = "apideck"
	}
	base := o.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	header := http.Header{}
	header.Set("x-apideck-app-id", o.AppID)
	header.Set("x-apideck-consumer-id", o.ConsumerID)
	if o.ServiceID != "" {
		header.Set("x-apideck-service-id", o.ServiceID)
	}
	key := o.APIKey
	return &Provider{
		name: name,
		now:  time.Now,
		client: &httpx.Client{
			Provider: name,
			BaseURL:  base,
			HTTP:     o.HTTP,
			Header:   header,
			// The key is set per request, never kept in Header, so dumping
			// the client's static headers cannot leak it.
			Authorize: func(r *http.Request) error {
				r.Header.Set("Authorization", "Bearer "+key)
				return nil
			},
		},
	}
}

// Info describes the account and what it can do.
func (p *Provider) Info() crm.Info {
	info := crm.Info{
		Name:  p.name,
		Kind:  "apideck",
		Label: "Apideck Unify CRM",
		Caps: crm.Capabilities{
			Update:      true,
			Delete:      true,
			Create:      true,
			Paging:      crm.PagingCursor,
			MaxPageSize: MaxPageSize,
		},
	}
	return info
}
