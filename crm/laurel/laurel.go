// Package laurel is Roster's adapter for Laurel's identity service: the users
// of one customer (a law or accounting firm), reached with OAuth2 client
// credentials, listed page by page, found by external identity, edited with
// PATCH (status through its own endpoint) and deleted. PROVIDERS.md §4.
package laurel

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/tokencache"
)

// DefaultBaseURL is Laurel's identity service.
const DefaultBaseURL = "https://identity.laurel.ai"

// tokenPath is where the client-credentials grant lives, under BaseURL.
const tokenPath = "/api/v1/oauth/token"

// Audience is the audience Laurel's token endpoint issues API tokens for.
const Audience = "https://timeautomation.com"

// maxPageSize is the v2 list's documented pageSize limit.
const maxPageSize = 150

// IdentityTypes are the external identity types the lookup endpoint accepts.
func IdentityTypes() []string {
	return []string{"aderant", "auth0", "azure", "email", "external-billing-system", "elite",
		"intercom", "juris", "cisco-cdr", "mixpanel", "phone", "phone-extension", "salesforce", "segment",
		"vitally", "walls", "zendesk", "zoom", "exchange", "user-principal-name", "cisco-webex", "ringcentral", "google"}
}

// Integrations are the values the v1 list's integration filter accepts.
func Integrations() []string {
	return []string{"cloud-assistant-cdr", "cloud-assistant-google", "cloud-assistant-microsoft-exchange",
		"cloud-assistant-microsoft-teams", "cloud-assistant-zoom"}
}

// Statuses are the values of a user's status, set through its own endpoint.
func Statuses() []string { return []string{"active", "adminDisabled", "firmDisabled"} }

// Options configure a Laurel provider.
type Options struct {
	Name     string // config name, used in errors
	BaseURL  string // DefaultBaseURL when empty
	TokenURL string // BaseURL + /api/v1/oauth/token when empty
	// ClientID and ClientSecret get tokens by client credentials; AccessToken,
	// when set instead, is used as is (it cannot be renewed).
	ClientID     string
	ClientSecret string
	AccessToken  string
	CustomerID   string // the firm's 24-hex objectid
	// Integration, when set, lists through the v1 endpoint filtered to users
	// of that cloud assistant (one of Integrations()).
	Integration string
	HTTP        *http.Client
	// Tokens shares access tokens with other processes (the state
	// directory's token cache); nil keeps them in this process only.
	Tokens tokencache.Store
}

// Provider is a configured Laurel customer.
type Provider struct {
	opts   Options
	client *httpx.Client
	// tokens is nil when a static access token is configured.
	tokens *tokenCache
	users  string // /customers/{id}/users, without the version prefix
}

var _ crm.Provider = (*Provider)(nil)

// New checks the options and builds the provider. It does no I/O.
func New(o Options) (*Provider, error) {
	if o.Name == "" {
		o.Name = "laurel"
	}
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	if o.TokenURL == "" {
		o.TokenURL = o.BaseURL + tokenPath
	}
	if !IsObjectID(o.CustomerID) {
		return nil, fmt.Errorf("laurel: customer_id must be a 24-character hex objectid, got %q", o.CustomerID)
	}
	if o.Integration != "" && !slices.Contains(Integrations(), o.Integration) {
		return nil, fmt.Errorf("laurel: integration %q is not one of %s", o.Integration, strings.Join(Integrations(), ", "))
	}
	if o.AccessToken == "" && (o.ClientID == "" || o.ClientSecret == "") {
		return nil, errors.New("laurel: needs client_id and client_secret, or an access_token")
	}
	hc := o.HTTP
	if hc == nil {
		// The shared retrying client, as every adapter: never
		// http.DefaultClient, which rides out no 429 and no 504.
		hc = httpx.NewHTTPClient(httpx.Options{})
	}
	p := &Provider{opts: o, users: "/customers/" + o.CustomerID + "/users"}
	if o.AccessToken == "" {
		p.tokens = newTokenCache(jsonTokenSource{
			provider: o.Name, url: o.TokenURL, http: hc,
			clientID: o.ClientID, clientSecret: o.ClientSecret,
		}, o.Tokens)
	}
	// No Authorize hook: send sets the bearer token itself, so that it knows
	// which token Laurel refused when it answers 401.
	p.client = &httpx.Client{Provider: o.Name, BaseURL: o.BaseURL, HTTP: hc}
	return p, nil
}

// IsObjectID reports whether s is a MongoDB objectid: 24 hex characters.
func IsObjectID(s string) bool {
	if len(s) != 24 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// Info describes the provider; the list style follows the configured endpoint.
func (p *Provider) Info() crm.Info {
	caps := crm.Capabilities{
		Update:         true,
		Delete:         true,
		ServerSearch:   true,
		MinQuery:       minSearch,
		MaxQuery:       maxSearch,
		Paging:         crm.PagingNumber,
		MaxPageSize:    maxPageSize,
		MaxConcurrency: 4,
		IdentityTypes:  IdentityTypes(),
	}
	info := crm.Info{Name: p.opts.Name, Kind: "laurel", Label: "Laurel", Caps: caps}
	if p.opts.Integration != "" {
		// The v1 list answers everything at once: no pages to fetch in parallel.
		info.Caps.Paging = crm.PagingNone
		info.Caps.MaxConcurrency = 1
		info.Notice = "users of " + p.opts.Integration
	}
	return info
}

// Schema lists Laurel's user fields. Roles, delegates, identities and groups
// are changed elsewhere in Laurel (by id lists Roster does not edit), so they
// are shown read-only.
func (p *Provider) Schema() crm.Schema {
	text := func(key, label, common string) crm.Field {
		return crm.Field{Key: key, Label: label, Type: crm.TypeText, Editable: true, Common: common}
	}
	ro := func(key, label string, t crm.FieldType, common string) crm.Field {
		return crm.Field{Key: key, Label: label, Type: t, Common: common}
	}
	email := text("email", "Email", "email")
	email.Type, email.Required, email.Hint = crm.TypeEmail, true, "used to log in"
	nickname := text("nickname", "Nickname", "")
	nickname.Hint = "may be empty"
	status := crm.Field{Key: "status", Label: "Status", Type: crm.TypeEnum, Values: Statuses(),
		Editable: true, Common: "status", Hint: "saved with a request of its own"}
	return crm.Schema{
		// Laurel's deactivation is its status endpoint with adminDisabled
		// (firmDisabled is the firm's own, not an admin's); Update routes
		// the status field there.
		Deactivate: crm.Changes{"status": "adminDisabled"},
		Fields: []crm.Field{
			ro("_id", "ID", crm.TypeText, "id"),
			text("firstName", "First name", "first_name"),
			text("lastName", "Last name", "last_name"),
			email,
			text("jobTitle", "Job title", "title"),
			text("department", "Department", "department"),
			status,
			nickname,
			text("seniority", "Seniority", ""),
			text("office", "Office", ""),
			text("subdepartment", "Subdepartment", ""),
			text("pod", "Pod", ""),
			ro("roles", "Roles", crm.TypeObject, ""),
			ro("delegates", "Delegates", crm.TypeObject, ""),
			ro("delegators", "Delegators", crm.TypeObject, ""),
			ro("identities", "Identities", crm.TypeObject, ""),
			ro("groupIds", "Group ids", crm.TypeList, ""),
			ro("isSuperDelegate", "Super delegate", crm.TypeBool, ""),
			ro("createdAt", "Created", crm.TypeTime, "created_at"),
			ro("updatedAt", "Updated", crm.TypeTime, "updated_at"),
		}}
}
