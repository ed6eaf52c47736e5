// Package zoho is the Roster adapter for Zoho CRM's v2 Users API: OAuth
// refresh-token auth per data centre, page-numbered listing by user type,
// updates as PUT with a wrapped body, and Zoho's error objects (top level or
// per item inside a 200) turned into typed crm errors.
package zoho

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/tokencache"
)

// MaxPageSize is the largest per_page the users list accepts.
const MaxPageSize = 200

// DefaultMaxConcurrency bounds parallel page fetches: below the smallest
// edition's cap of 5 calls in flight, leaving one for the rest of the UI.
const DefaultMaxConcurrency = 4

// UserTypes are the list filters of GET /crm/v2/users?type=, AllUsers first.
var UserTypes = []string{
	"AllUsers", "ActiveUsers", "DeactiveUsers", "ConfirmedUsers", "NotConfirmedUsers",
	"DeletedUsers", "ActiveConfirmedUsers", "AdminUsers", "ActiveConfirmedAdmins", "CurrentUser",
}

// DataCenter is one Zoho region: where its API and its accounts server live.
type DataCenter struct {
	API      string
	Accounts string
}

// DataCenters maps the config's data_center to its hosts (PROVIDERS.md §3).
func DataCenters() map[string]DataCenter {
	return map[string]DataCenter{
		"us": {"https://www.zohoapis.com", "https://accounts.zoho.com"},
		"eu": {"https://www.zohoapis.eu", "https://accounts.zoho.eu"},
		"in": {"https://www.zohoapis.in", "https://accounts.zoho.in"},
		"au": {"https://www.zohoapis.com.au", "https://accounts.zoho.com.au"},
		"jp": {"https://www.zohoapis.jp", "https://accounts.zoho.jp"},
		"cn": {"https://www.zohoapis.com.cn", "https://accounts.zoho.com.cn"},
		"ca": {"https://www.zohoapis.ca", "https://accounts.zohocloud.ca"},
		"sa": {"https://www.zohoapis.sa", "https://accounts.zoho.sa"},
	}
}

// Options configure one Zoho CRM org.
type Options struct {
	Name       string // config name, used in errors; "zoho" when empty
	DataCenter string // us (default), eu, in, au, jp, cn, ca, sa
	// BaseURL overrides the API domain (else the token's api_domain, else
	// the data centre's); AccountsURL overrides the accounts server.
	BaseURL     string
	AccountsURL string
	// Either the refresh-token triple, or a static AccessToken.
	ClientID     string
	ClientSecret string
	RefreshToken string
	AccessToken  string
	UserType     string // default list type; AllUsers when empty
	// MaxConcurrency bounds parallel page fetches ("load all");
	// DefaultMaxConcurrency when 0.
	MaxConcurrency int
	HTTP           *http.Client
	// Tokens shares access tokens with other processes (the state
	// directory's token cache); nil keeps them in this process only.
	Tokens tokencache.Store
}

// Provider is a Zoho CRM org. It is safe for concurrent use: all requests
// share one token cache.
type Provider struct {
	name        string
	baseURL     string // fixed API base, "" to follow the token's api_domain
	fallbackAPI string // the data centre's API, when the token names none
	views       []string
	concurrency int
	tokens      *tokenCache
	client      httpx.Client // copied per request with that request's token
	now         func() time.Time
}

var _ crm.Provider = (*Provider)(nil)

// New builds the provider. It does no I/O; the first request fetches a token.
func New(o Options) (*Provider, error) {
	name := o.Name
	if name == "" {
		name = "zoho"
	}
	dcName := strings.ToLower(strings.TrimSpace(o.DataCenter))
	if dcName == "" {
		dcName = "us"
	}
	dc, ok := DataCenters()[dcName]
	if !ok {
		return nil, fmt.Errorf("zoho: unknown data_center %q (want us, eu, in, au, jp, cn, ca or sa)", o.DataCenter)
	}
	accounts := strings.TrimRight(o.AccountsURL, "/")
	if accounts == "" {
		accounts = dc.Accounts
	}
	if o.AccessToken == "" && (o.ClientID == "" || o.ClientSecret == "" || o.RefreshToken == "") {
		return nil, fmt.Errorf("zoho: give client_id, client_secret and refresh_token, or an access_token")
	}
	views := slices.Clone(UserTypes)
	if t := o.UserType; t != "" {
		i := slices.Index(views, t)
		if i < 0 {
			return nil, fmt.Errorf("zoho: unknown user_type %q (want one of %s)", t, strings.Join(UserTypes, ", "))
		}
		views = append([]string{t}, slices.Delete(views, i, i+1)...)
	}
	conc := o.MaxConcurrency
	if conc <= 0 {
		conc = DefaultMaxConcurrency
	}
	hc := o.HTTP
	if hc == nil {
		hc = httpx.NewHTTPClient(httpx.Options{})
	}
	return &Provider{
		name:        name,
		baseURL:     strings.TrimRight(o.BaseURL, "/"),
		fallbackAPI: dc.API,
		views:       views,
		concurrency: conc,
		tokens:      newTokenCache(name, accounts+"/oauth/v2/token", o.ClientID, o.ClientSecret, o.RefreshToken, o.AccessToken, hc, o.Tokens),
		client:      httpx.Client{Provider: name, HTTP: hc},
		now:         time.Now,
	}, nil
}

// Info describes the org and what Roster can do with it.
func (p *Provider) Info() crm.Info {
	info := crm.Info{
		Name:  p.name,
		Kind:  "zoho",
		Label: "Zoho CRM",
		Caps: crm.Capabilities{
			Update:         true,
			Delete:         true,
			Create:         true,
			Paging:         crm.PagingNumber,
			MaxPageSize:    MaxPageSize,
			MaxConcurrency: p.concurrency,
			Views:          slices.Clone(p.views),
		},
	}
	return info
}

// apiBase is where API calls go for a token: the configured base_url, else
// the api_domain the accounts server named, else the data centre's API.
func (p *Provider) apiBase(t *token) string {
	switch {
	case p.baseURL != "":
		return p.baseURL
	case t.apiDomain != "":
		return t.apiDomain
	}
	return p.fallbackAPI
}
